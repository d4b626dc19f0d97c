import type { FastifyReply, FastifyRequest } from 'fastify';
import { callerOf } from '../../authentication.ts';
import { abortOnClientClose } from '../../request-abort.ts';
import type { RouteContext } from '../../route-context.ts';
import { ServerSentEventWriter } from '../../server-sent-events.ts';

/**
 * The events of a background response as SSE, from after `after` (-1: all): the stored ones,
 * then the live ones until the response ends. A client that goes away stops only its stream;
 * the response keeps running.
 */
export async function streamBackgroundResponse(
  context: RouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  responseId: string,
  after: number,
): Promise<FastifyReply> {
  const signal = abortOnClientClose(reply);
  const writer = new ServerSentEventWriter(reply.raw);
  reply.hijack();
  writer.open(200, { 'x-request-id': request.id });
  try {
    await context.responses.followEvents(
      callerOf(request),
      responseId,
      after,
      (event) => writer.send(JSON.stringify(event), event.type),
      signal,
    );
  } catch (error) {
    request.log.warn({ err: error }, 'following a background response failed');
  }
  writer.end();
  return reply;
}
