import { z } from 'zod';
import { parseWith } from '../parse-body.ts';

/** A model in Anthropic's shape (`GET /v1/models` with `anthropic-version`). */
export const anthropicModelInfoSchema = z
  .object({
    type: z.literal('model'),
    id: z.string(),
    display_name: z.string().describe('The id again: the catalogue has no other display name.'),
    created_at: z.iso.datetime({ offset: true }).describe('RFC 3339.'),
  })
  .meta({ id: 'AnthropicModelInfo', description: "A model in Anthropic's shape." });

export type AnthropicModelInfo = z.output<typeof anthropicModelInfoSchema>;

export const anthropicModelPageSchema = z
  .object({
    data: z.array(anthropicModelInfoSchema),
    has_more: z.boolean(),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
  })
  .meta({ id: 'AnthropicModelPage', description: "A page of models in Anthropic's shape." });

export type AnthropicModelPage = z.output<typeof anthropicModelPageSchema>;

export const anthropicModelInfoExample = {
  type: 'model',
  id: 'sim/fast',
  display_name: 'sim/fast',
  created_at: '2026-12-07T16:00:00.000Z',
} satisfies AnthropicModelInfo;

/** The query of `GET /v1/models` (read only when the caller asks for Anthropic's shape). */
export const anthropicModelListQuerySchema = z.looseObject({
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  after_id: z.string().min(1).optional(),
  before_id: z.string().min(1).optional(),
});

/** Anthropic's clients send `anthropic-version` on every call; OpenAI's never do. */
export function wantsAnthropicShape(headers: Record<string, unknown>): boolean {
  return typeof headers['anthropic-version'] === 'string';
}

export function toAnthropicModel(id: string, createdAtSeconds: number): AnthropicModelInfo {
  return { type: 'model', id, display_name: id, created_at: new Date(createdAtSeconds * 1000).toISOString() };
}

/**
 * One page of models as Anthropic lists them: `limit` (default 20), and a cursor `after_id` or
 * `before_id` naming a model of the list; `has_more` says whether another page follows.
 */
export function anthropicModelPage(
  models: readonly AnthropicModelInfo[],
  query: unknown,
): AnthropicModelPage {
  const {
    limit,
    after_id: afterId,
    before_id: beforeId,
  } = parseWith(anthropicModelListQuerySchema, query ?? {});
  let start = 0;
  let end = models.length;
  if (afterId !== undefined) start = models.findIndex((model) => model.id === afterId) + 1;
  if (beforeId !== undefined)
    end = Math.max(
      0,
      models.findIndex((model) => model.id === beforeId),
    );
  const page =
    beforeId === undefined
      ? models.slice(start, start + limit)
      : models.slice(Math.max(start, end - limit), end);
  const hasMore = beforeId === undefined ? start + page.length < end : end - page.length > start;
  return {
    data: page,
    has_more: hasMore,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
  };
}
