import { z } from 'zod';
import { parseWith } from '../parse-body.ts';

/** A model in Anthropic's shape (`GET /v1/models` with `anthropic-version`). */
export interface AnthropicModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  /** RFC 3339. */
  created_at: string;
}

export interface AnthropicModelPage {
  data: AnthropicModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

const listQuerySchema = z.looseObject({
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
  const { limit, after_id: afterId, before_id: beforeId } = parseWith(listQuerySchema, query ?? {});
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
