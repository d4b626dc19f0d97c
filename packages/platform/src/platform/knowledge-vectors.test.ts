import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../test/support/test-app.ts';
import { migrateDatabase, openDatabase } from '../storage/db/index.ts';
import { openKnowledgeVectors } from './knowledge-vectors.ts';

const silent = { info: () => {}, warn: () => {} };

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('choosing the knowledge vector store at start-up', () => {
  it('uses pgvector (or the exact scan) in the database without vectors.qdrant', async () => {
    const owner = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
    try {
      await migrateDatabase(owner);
      expect((await openKnowledgeVectors(owner, {}, silent, owner.isolated())).support.mode).toBe('pgvector');
    } finally {
      await owner.close();
    }
  });

  it('with vectors.qdrant, refuses to start when that Qdrant does not answer, naming the setting', async () => {
    const port = await closedPort();
    const owner = await openDatabase({ dataDirectory: 'memory://' });
    try {
      await migrateDatabase(owner);
      await expect(
        openKnowledgeVectors(
          owner,
          {
            qdrant: {
              url: `http://127.0.0.1:${port}`,
              collection_prefix: 'kimi_chunks',
              timeout_ms: 2000,
              upsert_batch_size: 256,
            },
          },
          silent,
          owner.isolated(),
        ),
      ).rejects.toThrow(
        /^QDRANT_URL \(vectors\.qdrant\.url\): Qdrant did not answer at http:\/\/127\.0\.0\.1:/,
      );
    } finally {
      await owner.close();
    }
  });

  it('is what the platform builds from the config file: a vectors.qdrant that does not answer stops the start', async () => {
    const database = await openDatabase({ dataDirectory: 'memory://' });
    try {
      const url = `http://127.0.0.1:${await closedPort()}`;
      await expect(
        startTestApp({ database, config: { vectors: { qdrant: { url, timeout_ms: 2000 } } } }),
      ).rejects.toThrow(/QDRANT_URL \(vectors\.qdrant\.url\): Qdrant did not answer/);
    } finally {
      await database.close();
    }
  });
});
