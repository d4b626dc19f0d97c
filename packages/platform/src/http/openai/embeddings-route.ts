import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { embeddingRequestSchema, toEmbeddingList } from '../../platform/wire/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { abortOnClientClose } from '../request-abort.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import { setRouteHeaders } from '../routing-headers.ts';
import { setServedHeaders } from '../served-headers.ts';
import {
  embeddingListExample,
  embeddingListSchema,
  modelCallErrors,
  modelCallHeadersSchema,
  servedResponseHeaders,
} from './chat-completion-schemas.ts';

/** POST /v1/embeddings: OpenAI-compatible, float or base64 encoding. */
export function registerEmbeddingsRoute(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/v1/embeddings',
    requires('embeddings', {
      operationId: 'createEmbeddings',
      summary: 'Create embeddings (OpenAI-compatible)',
      description: 'One vector per input string, in input order; token-id arrays are refused.',
      tag: 'OpenAI: embeddings',
      headers: modelCallHeadersSchema,
      body: embeddingRequestSchema,
      bodyExample: { model: 'sim/embed', input: ['first text', 'second text'], encoding_format: 'float' },
      responses: {
        200: {
          description: 'The embeddings.',
          schema: embeddingListSchema,
          example: embeddingListExample,
          headers: servedResponseHeaders,
        },
      },
      errors: [...modelCallErrors],
    }),
    async (request, reply): Promise<z.output<typeof embeddingListSchema>> => {
      const caller = callerOf(request);
      const body = parseWith(embeddingRequestSchema, request.body);
      const input = typeof body.input === 'string' ? [body.input] : body.input;
      const outcome = await context.embeddings.embed({
        context: caller,
        requestId: request.id,
        startedAt: request.startedAt,
        modelName: body.model,
        input,
        ...(body.dimensions === undefined ? {} : { dimensions: body.dimensions }),
        ...(body.user === undefined ? {} : { user: body.user }),
        signal: abortOnClientClose(reply),
      });
      setServedHeaders(reply, outcome.servedAs);
      reply.header('x-kimi-model', outcome.model.publicId);
      reply.header('x-kimi-cost-usd', outcome.costUsd);
      setRouteHeaders(reply, outcome.route);
      return toEmbeddingList(outcome, body.encoding_format);
    },
  );
}
