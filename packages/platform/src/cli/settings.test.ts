import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from './settings.ts';

describe('settings: where knowledge-base vectors live', () => {
  let directory: string;
  let configPath: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kimi-settings-'));
    configPath = join(directory, 'kimi.config.yaml');
    await writeFile(
      configPath,
      'vectors:\n  qdrant:\n    url: http://file-qdrant:6333\n    api_key: from-file\n    collection_prefix: team_chunks\n',
    );
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('takes vectors.qdrant from the config file', async () => {
    const settings = await loadSettings({ KIMI_CONFIG: configPath });
    expect(settings.config.vectors.qdrant).toMatchObject({
      url: 'http://file-qdrant:6333',
      api_key: 'from-file',
      collection_prefix: 'team_chunks',
    });
  });

  it('lets QDRANT_URL and QDRANT_API_KEY override the file', async () => {
    const settings = await loadSettings({
      KIMI_CONFIG: configPath,
      QDRANT_URL: 'https://qdrant.internal:6333',
      QDRANT_API_KEY: 'from-env',
    });
    expect(settings.config.vectors.qdrant).toMatchObject({
      url: 'https://qdrant.internal:6333',
      api_key: 'from-env',
      collection_prefix: 'team_chunks',
    });
  });

  it('sets Qdrant from QDRANT_URL alone, and refuses a key without a URL', async () => {
    const missing = join(directory, 'absent.yaml');
    await writeFile(missing, '');
    const settings = await loadSettings({ KIMI_CONFIG: missing, QDRANT_URL: 'http://127.0.0.1:6333' });
    expect(settings.config.vectors.qdrant?.url).toBe('http://127.0.0.1:6333');
    expect((await loadSettings({ KIMI_CONFIG: missing })).config.vectors).toEqual({});
    await expect(loadSettings({ KIMI_CONFIG: missing, QDRANT_API_KEY: 'k' })).rejects.toThrow(
      /QDRANT_API_KEY/,
    );
  });
});
