import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientClosedStatus } from '../../../gateway/index.ts';
import type { ResponseCall } from '../../../platform/index.ts';
import { toPlatformError } from '../../error-handler.ts';
import { sendErrorBeforeStream } from '../../gateway-call.ts';
import type { RouteContext } from '../../route-context.ts';
import { routeHeaders } from '../../routing-headers.ts';
import { servedHeaders } from '../../served-headers.ts';
import { ServerSentEventWriter } from '../../server-sent-events.ts';

/**
 * `POST /v1/responses` with `stream: true`: the service's semantic events as named SSE events
 * (`event: response.output_text.delta`), as OpenAI sends them. A failure before the first event
 * is a plain HTTP error; after it the service has sent `error` and `response.failed`.
 */
export async function streamResponse(
  context: RouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  call: ResponseCall,
): Promise<FastifyReply> {
  const writer = new ServerSentEventWriter(reply.raw);
  let nextSequenceNumber = 0;
  reply.hijack();
  try {
    const streamed = await context.responses.stream(call, {
      onStart(model, route, servedAs) {
        writer.open(200, {
          ...servedHeaders(servedAs),
          'x-request-id': request.id,
          'x-kimi-model': model.publicId,
          ...routeHeaders(route),
        });
      },
      onEvent(event) {
        nextSequenceNumber = event.sequence_number + 1;
        return writer.send(JSON.stringify(event), event.type);
      },
    });
    if (streamed.error && streamed.error.status >= 500) {
      request.log.error({ err: streamed.error }, 'response stream failed');
    }
    writer.end();
  } catch (error) {
    const platformError = toPlatformError(error, context.config.server.body_limit_bytes);
    if (call.signal.aborted) {
      request.log.info({ status: clientClosedStatus }, 'client closed the stream');
      writer.end();
    } else if (!reply.raw.headersSent) {
      sendErrorBeforeStream(reply.raw, request.id, platformError, platformError.toResponseBody(request.id));
    } else {
      if (platformError.status >= 500) request.log.error({ err: error }, 'response stream failed');
      const body = platformError.toResponseBody(request.id).error;
      writer.send(
        JSON.stringify({
          type: 'error',
          code: body.code,
          message: body.message,
          param: body.param,
          sequence_number: nextSequenceNumber,
        }),
        'error',
      );
      writer.end();
    }
  }
  return reply;
}
