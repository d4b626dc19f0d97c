import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { convertPrompt, countTokensRequestSchema } from '../../platform/wire/index.ts';
import { startGatewayCall } from '../gateway-call.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { anthropicPassthrough } from './anthropic-passthrough.ts';
import { anthropicModelRouteOptions } from './anthropic-route-options.ts';
import { anthropicHeadersSchema, tokenCountSchema } from './anthropic-schemas.ts';

/**
 * POST /v1/messages/count_tokens: the input tokens of a Messages prompt (system, messages, tools)
 * on the model the request names. Models whose provider counts (Anthropic) are asked, with the
 * client's headers and body; any other model is counted with the platform tokenizer. Same key
 * and permission as /v1/messages and the key's allowed models, but no admission: nothing is
 * generated, so nothing is charged or limited.
 */
export function registerCountTokensRoute(app: FastifyInstance, context: RouteContext): void {
  app.post(
    '/v1/messages/count_tokens',
    anthropicModelRouteOptions({
      operationId: 'countMessageTokens',
      summary: 'Count the input tokens of a Messages prompt',
      description: [
        'Anthropic models are asked (with the headers and body as sent); any other model is counted',
        'with the platform tokenizer (`x-kimi-token-count-source` says which). Nothing is generated,',
        'so nothing is charged or rate limited.',
      ].join(' '),
      tag: 'Anthropic: messages',
      headers: anthropicHeadersSchema,
      body: countTokensRequestSchema,
      bodyExample: {
        model: 'sim/fast',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      },
      responses: {
        200: {
          description: 'The count.',
          schema: tokenCountSchema,
          example: { input_tokens: 9 },
          headers: {
            'x-kimi-model': 'The public id of the model counted for.',
            'x-kimi-token-count-source': 'Who counted: the provider, or the platform tokenizer.',
          },
        },
      },
      errors: [404, 502, 504],
    }),
    async (request, reply): Promise<z.output<typeof tokenCountSchema>> => {
      const body = parseWith(countTokensRequestSchema, request.body);
      const call = startGatewayCall(request, reply, body.model, {
        ...convertPrompt(body),
        passthrough: { anthropic: anthropicPassthrough(request) },
      });
      const count = await context.chat.countTokens(call);
      reply.header('x-kimi-model', count.model.publicId);
      reply.header('x-kimi-token-count-source', count.source);
      return { input_tokens: count.inputTokens };
    },
  );
}
