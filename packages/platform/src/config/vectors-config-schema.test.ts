import { describe, expect, it } from 'vitest';
import { parseEnvironment } from './environment.ts';
import { parseConfigText } from './load-config.ts';
import { applyVectorEnvironment } from './vectors-config-schema.ts';

describe('vectors config', () => {
  it('keeps vectors in PostgreSQL by default', () => {
    expect(parseConfigText('').vectors).toEqual({});
    expect(applyVectorEnvironment({}, {})).toEqual({});
  });

  it('reads vectors.qdrant with its defaults', () => {
    const config = parseConfigText(
      'vectors:\n  qdrant:\n    url: http://127.0.0.1:6333\n    api_key: secret\n',
    );
    expect(config.vectors.qdrant).toEqual({
      url: 'http://127.0.0.1:6333',
      api_key: 'secret',
      collection_prefix: 'kimi_chunks',
      timeout_ms: 30_000,
      upsert_batch_size: 256,
    });
  });

  it('names the offending field', () => {
    expect(() => parseConfigText('vectors:\n  qdrant:\n    url: 127.0.0.1:6333\n')).toThrow(
      /vectors\.qdrant\.url: must start with http:\/\/ or https:\/\//,
    );
    expect(() => parseConfigText('vectors:\n  qdrant:\n    url: https://user:pw@qdrant.example\n')).toThrow(
      /vectors\.qdrant\.url: must not hold credentials/,
    );
    expect(() => parseConfigText('vectors:\n  qdrant: {}\n')).toThrow(/vectors\.qdrant\.url/);
    expect(() =>
      parseConfigText('vectors:\n  qdrant:\n    url: http://q:6333\n    collection_prefix: Bad-Prefix\n'),
    ).toThrow(/vectors\.qdrant\.collection_prefix/);
    expect(() =>
      parseConfigText('vectors:\n  qdrant:\n    url: http://q:6333\n    upsert_batch_size: 0\n'),
    ).toThrow(/vectors\.qdrant\.upsert_batch_size/);
    expect(() => parseConfigText('vectors:\n  pinecone: {}\n')).toThrow(/vectors.*pinecone/);
  });

  it('takes QDRANT_URL and QDRANT_API_KEY from the environment, over the file', () => {
    const environment = parseEnvironment({ QDRANT_URL: ' http://qdrant:6333 ', QDRANT_API_KEY: 'from-env' });
    expect(environment.QDRANT_URL).toBe('http://qdrant:6333');
    expect(applyVectorEnvironment({}, environment)).toEqual({
      qdrant: {
        url: 'http://qdrant:6333',
        api_key: 'from-env',
        collection_prefix: 'kimi_chunks',
        timeout_ms: 30_000,
        upsert_batch_size: 256,
      },
    });
    const file = parseConfigText(
      'vectors:\n  qdrant:\n    url: http://file:6333\n    api_key: from-file\n    collection_prefix: docs\n',
    ).vectors;
    expect(applyVectorEnvironment(file, { QDRANT_URL: 'https://cloud.example:6333' }).qdrant).toMatchObject({
      url: 'https://cloud.example:6333',
      api_key: 'from-file',
      collection_prefix: 'docs',
    });
    expect(applyVectorEnvironment(file, { QDRANT_API_KEY: 'rotated' }).qdrant).toMatchObject({
      url: 'http://file:6333',
      api_key: 'rotated',
    });
    expect(parseEnvironment({ QDRANT_URL: '' }).QDRANT_URL).toBeUndefined();
  });

  it('names the bad variable', () => {
    expect(() => parseEnvironment({ QDRANT_URL: 'qdrant:6333' })).toThrow(/QDRANT_URL: must start with http/);
    expect(() => parseEnvironment({ QDRANT_URL: 'http://user:pw@qdrant:6333' })).toThrow(
      /QDRANT_URL: must not hold credentials/,
    );
    expect(() => applyVectorEnvironment({}, { QDRANT_API_KEY: 'orphan' })).toThrow(
      /QDRANT_API_KEY is set, but neither QDRANT_URL nor vectors\.qdrant\.url/,
    );
  });
});
