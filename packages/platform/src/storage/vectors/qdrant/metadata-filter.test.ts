import { describe, expect, it } from 'vitest';
import { translateMetadataFilter } from './metadata-filter.ts';

describe('metadata filter translation to Qdrant conditions', () => {
  it('is empty without a filter', () => {
    expect(translateMetadataFilter(undefined)).toEqual({ conditions: [], complete: true });
    expect(translateMetadataFilter({})).toEqual({ conditions: [], complete: true });
  });

  it('matches scalars on metadata.<key>: keywords, whole numbers, booleans, null; fractions as a range', () => {
    expect(
      translateMetadataFilter({ animal: 'cat', year: 2024, public: true, owner: null, ratio: 0.5 }),
    ).toEqual({
      conditions: [
        { key: 'metadata.animal', match: { value: 'cat' } },
        { key: 'metadata.year', match: { value: 2024 } },
        { key: 'metadata.public', match: { value: true } },
        { is_null: { key: 'metadata.owner' } },
        { key: 'metadata.ratio', range: { gte: 0.5, lte: 0.5 } },
      ],
      complete: true,
    });
  });

  it('follows nested objects with dotted paths', () => {
    expect(translateMetadataFilter({ source: { kind: 'web', site: { host: 'example.org' } } })).toEqual({
      conditions: [
        { key: 'metadata.source.kind', match: { value: 'web' } },
        { key: 'metadata.source.site.host', match: { value: 'example.org' } },
      ],
      complete: true,
    });
  });

  it('asks for every scalar of an array filter (containment), each against the array', () => {
    expect(translateMetadataFilter({ tags: ['a', 'b'], years: [1999, 2001] })).toEqual({
      conditions: [
        { key: 'metadata.tags', match: { value: 'a' } },
        { key: 'metadata.tags', match: { value: 'b' } },
        { key: 'metadata.years', match: { value: 1999 } },
        { key: 'metadata.years', match: { value: 2001 } },
      ],
      complete: true,
    });
  });

  it('leaves out what Qdrant cannot express exactly, and says so', () => {
    const cases: Record<string, unknown>[] = [
      { section: {} },
      { tags: [] },
      { items: [{ sku: 'x' }] },
      { matrix: [[1]] },
      { tags: [null] },
      { 'dotted.key': 'x' },
      { 'with space': 'x' },
      { huge: 2 ** 60 },
    ];
    for (const filter of cases) {
      expect(translateMetadataFilter(filter), JSON.stringify(filter)).toEqual({
        conditions: [],
        complete: false,
      });
    }
    // The parts that can be expressed are kept beside the ones that cannot.
    expect(translateMetadataFilter({ animal: 'cat', items: [{ sku: 'x' }, 'loose'] })).toEqual({
      conditions: [
        { key: 'metadata.animal', match: { value: 'cat' } },
        { key: 'metadata.items', match: { value: 'loose' } },
      ],
      complete: false,
    });
  });

  it('skips keys whose value is undefined, as JSON (and so the SQL filter) does', () => {
    expect(translateMetadataFilter({ animal: 'cat', lang: undefined })).toEqual({
      conditions: [{ key: 'metadata.animal', match: { value: 'cat' } }],
      complete: true,
    });
  });

  it('names keys under another payload prefix when asked', () => {
    expect(translateMetadataFilter({ a: 1 }, 'meta')).toEqual({
      conditions: [{ key: 'meta.a', match: { value: 1 } }],
      complete: true,
    });
  });
});
