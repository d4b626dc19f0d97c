import { errors } from '../../errors/index.ts';
import type { StoredInputItem } from './response-object.ts';

export interface InputItemQuery {
  /** Items after the one with this id, in the requested order. */
  after?: string;
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
  let start = 0;
  if (query.after !== undefined) {
    const index = ordered.findIndex((item) => item.id === query.after);
    if (index === -1) {
      throw errors.invalidRequest(
        'after',
        `No input item '${query.after}' in this response.`,
        'Pass the id of an item of the previous page.',
      );
    }
    start = index + 1;
  }
  const data = ordered.slice(start, start + query.limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + query.limit < ordered.length,
  };
}
