import { errors } from '../../errors/index.ts';
import type { StoredInputItem } from './response-object.ts';

export interface InputItemQuery {
  /** Items after the one with this id, in the requested order. */
  after?: string;
  /** Items before the one with this id, in the requested order (the page that ends just before it). */
  before?: string;
  /** 1–100; default 20. */
  limit: number;
  /** `desc` (newest first, OpenAI's default) or `asc`. */
  order: 'asc' | 'desc';
}

/** A page of input items, shaped as OpenAI's cursor lists. */
export interface InputItemPage {
  object: 'list';
  data: StoredInputItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export function pageInputItems(items: readonly StoredInputItem[], query: InputItemQuery): InputItemPage {
  const ordered = query.order === 'asc' ? [...items] : [...items].reverse();
  const position = (cursor: 'after' | 'before', id: string): number => {
    const index = ordered.findIndex((item) => item.id === id);
    if (index === -1) {
      throw errors.invalidRequest(
        cursor,
        `No input item '${id}' in this response.`,
        'Pass the id of an item of the page you came from.',
      );
    }
    return index;
  };
  const start = query.after === undefined ? 0 : position('after', query.after) + 1;
  const end = query.before === undefined ? ordered.length : position('before', query.before);
  const from =
    query.before !== undefined && query.after === undefined ? Math.max(start, end - query.limit) : start;
  const to = Math.min(end, from + query.limit);
  const data = ordered.slice(from, Math.max(from, to));
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: to < end,
  };
}
