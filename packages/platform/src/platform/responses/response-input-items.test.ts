import { describe, expect, it } from 'vitest';
import { pageInputItems } from './response-input-items.ts';
import type { StoredInputItem } from './response-object.ts';

const items = ['a', 'b', 'c'].map(
  (id): StoredInputItem => ({
    id,
    type: 'message',
    role: 'user',
    status: 'completed',
    content: [{ type: 'input_text', text: id }],
  }),
);

describe('input item pages', () => {
  it('are newest first by default, with cursors as OpenAI shapes them', () => {
    expect(pageInputItems(items, { limit: 2, order: 'desc' })).toMatchObject({
      object: 'list',
      data: [{ id: 'c' }, { id: 'b' }],
      first_id: 'c',
      last_id: 'b',
      has_more: true,
    });
    expect(pageInputItems(items, { limit: 2, order: 'desc', after: 'b' })).toMatchObject({
      data: [{ id: 'a' }],
      has_more: false,
    });
  });

  it('end just before the `before` cursor', () => {
    expect(pageInputItems(items, { limit: 1, order: 'asc', before: 'c' })).toMatchObject({
      data: [{ id: 'b' }],
    });
    expect(pageInputItems(items, { limit: 5, order: 'asc', after: 'a', before: 'c' }).data).toEqual([
      items[1],
    ]);
  });

  it('are oldest first in asc order, and refuse an unknown cursor naming it', () => {
    expect(pageInputItems(items, { limit: 5, order: 'asc' }).data.map((item) => item.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(() => pageInputItems(items, { limit: 5, order: 'asc', after: 'z' })).toThrow(
      expect.objectContaining({ param: 'after' }),
    );
  });
});
