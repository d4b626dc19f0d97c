import { z } from 'zod';
import { anthropicModelInfoSchema, anthropicModelPageSchema } from '../anthropic/index.ts';

const pricingSchema = z
  .object({
    currency: z.literal('USD'),
    unit: z.literal('per_million_tokens'),
    input: z.string().describe('USD per million prompt tokens, as decimal text.'),
    output: z.string(),
    cached_input: z.string().describe('USD per million prompt tokens read from the provider’s cache.'),
    version: z.string().describe("The price table's version."),
  })
  .nullable()
  .describe('Null for an unpriced model (metered at zero cost; budgets do not limit it).');

/** OpenAI's model object with the platform's `kimi` details. */
export const modelSchema = z
  .object({
    id: z.string().describe('`provider/model`, or an alias.'),
    object: z.literal('model'),
    created: z.number().int().describe('Unix seconds (when this server started).'),
    owned_by: z.string().describe('The provider.'),
    kimi: z.object({
      aliases: z.array(z.string()).optional().describe('On a model: the aliases that name it.'),
      alias_for: z.string().optional().describe('On an alias: the model it names.'),
      provider: z.string(),
      kind: z.enum(['chat', 'embedding']),
      simulated: z.boolean().describe('True for the built-in simulated provider.'),
      context_window: z.number().int(),
      max_output_tokens: z.number().int(),
      capabilities: z.object({
        streaming: z.boolean(),
        tools: z.boolean(),
        jsonMode: z.boolean(),
        vision: z.boolean(),
        reasoning: z.boolean().optional(),
      }),
      dimensions: z.number().int().optional().describe('For embedding models: the default vector length.'),
      unpriced: z.boolean(),
      pricing: pricingSchema,
    }),
  })
  .meta({ id: 'Model', description: "A model of the catalogue the caller may use (OpenAI's shape)." });

export type ModelObject = z.output<typeof modelSchema>;

export const modelExample = {
  id: 'sim/fast',
  object: 'model',
  created: 1_796_659_200,
  owned_by: 'sim',
  kimi: {
    aliases: ['fast'],
    provider: 'sim',
    kind: 'chat',
    simulated: true,
    context_window: 128_000,
    max_output_tokens: 8192,
    capabilities: { streaming: true, tools: true, jsonMode: true, vision: false },
    unpriced: false,
    pricing: {
      currency: 'USD',
      unit: 'per_million_tokens',
      input: '0.15',
      output: '0.6',
      cached_input: '0.075',
      version: '2026-12-01',
    },
  },
} satisfies ModelObject;

export const modelListSchema = z
  .object({ object: z.literal('list'), data: z.array(modelSchema) })
  .meta({ id: 'ModelList', description: 'Every model the caller may use, aliases included.' });

export const modelListOrPageSchema = z.union([modelListSchema, anthropicModelPageSchema]);
export const modelOrAnthropicModelSchema = z.union([modelSchema, anthropicModelInfoSchema]);

/** `anthropic-version`: Anthropic's clients send it, and are answered in Anthropic's shape. */
export const modelHeadersSchema = z.object({
  'anthropic-version': z
    .string()
    .optional()
    .describe("When present (Anthropic's clients send it), the answer is in Anthropic's shape."),
});

/** The model id of `GET /v1/models/{model}` (it may contain slashes: the route takes the rest of the path). */
export const modelParamsSchema = z.object({
  model: z.string().describe('A model id (`provider/model`, slashes included) or an alias.'),
});
