import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/storage/db/index.ts';
import { startServerProcess } from './support/server-process.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  testRedisUrl,
} from './support/services.ts';

/**
 * SIGKILL in the middle of a document's ingestion: the restarted embedded server (PGlite, the
 * in-process queue) or a second worker (PostgreSQL + BullMQ) resumes it from its staged chunks,
 * and no staged chunk is embedded again — proven from the gateway's own usage records, whose
 * request ids name the chunk positions each embedding call carried.
 */
const adminKey = `sk-kimi-ingest-durability-${'k'.repeat(32)}`;
const services = (await postgresAvailable()) && (await redisAvailable());
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function configFile(): Promise<{ directory: string; path: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'kimi-ingest-durability-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  const path = join(directory, 'kimi.config.yaml');
  await writeFile(
    path,
    'providers:\n  sim:\n    models:\n      embed-slow:\n        kind: embedding\n        latency_ms: 250\n',
  );
  return { directory, path };
}

async function api<Body>(baseUrl: string, method: string, path: string, body?: unknown): Promise<Body> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Body;
}

interface DocumentBody {
  id: string;
  status: string;
  chunk_count: number;
  chunks_embedded: number;
}

/** A document of about 1,000 chunks (8 embedding batches of 128), queued for ingestion. */
async function uploadLargeDocument(
  baseUrl: string,
): Promise<{ knowledgeBaseId: string; documentId: string }> {
  const knowledgeBase = await api<{ id: string }>(baseUrl, 'POST', '/v1/knowledge-bases', {
    name: 'durable',
    embedding_model: 'sim/embed-slow',
    chunking: { max_tokens: 16, overlap_tokens: 0 },
  });
  const text = Array.from({ length: 2000 }, (_, index) => `Paragraph ${index} about turbines.`).join('\n\n');
  const document = await api<DocumentBody>(
    baseUrl,
    'POST',
    `/v1/knowledge-bases/${knowledgeBase.id}/documents`,
    {
      title: 'Large manual',
      text,
    },
  );
  expect(document.status).toBe('queued');
  expect(document.chunk_count).toBeGreaterThan(600);
  return { knowledgeBaseId: knowledgeBase.id, documentId: document.id };
}

async function waitForDocument(
  baseUrl: string,
  path: string,
  done: (document: DocumentBody) => boolean,
): Promise<DocumentBody> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const document = await api<DocumentBody>(baseUrl, 'GET', path);
    if (done(document)) return document;
    if (Date.now() > deadline) throw new Error(`the document made no progress: ${JSON.stringify(document)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function stagedPositions(database: Database, documentId: string): Promise<Set<number>> {
  const result = await database.query<{ position: number }>(
    'SELECT position FROM knowledge_staged_chunks WHERE document_id = $1',
    [documentId],
  );
  return new Set(result.rows.map((row) => row.position));
}

/** The chunk positions of each embedding call for the document, and whether it was made after `since`. */
async function embeddingCalls(
  database: Database,
  documentId: string,
  since: Date,
): Promise<Array<{ positions: number[]; afterKill: boolean }>> {
  const result = await database.query<{ request_id: string; after_kill: boolean }>(
    `SELECT request_id, created_at > $2 AS after_kill FROM usage_records
      WHERE request_id LIKE $1 AND endpoint = 'embeddings' AND status = 200`,
    [`${documentId}.%`, since],
  );
  return result.rows.map((row) => {
    const [first, last] = row.request_id
      .slice(documentId.length + 1)
      .split('.')[0]!
      .split('-')
      .map(Number);
    return {
      positions: Array.from({ length: last! - first! + 1 }, (_, index) => first! + index),
      afterKill: row.after_kill,
    };
  });
}

async function expectResumedWithoutRepeats(
  database: Database,
  documentId: string,
  stagedAtKill: ReadonlySet<number>,
  killedAt: Date,
  chunkCount: number,
): Promise<void> {
  expect(stagedAtKill.size).toBeGreaterThan(0);
  expect(stagedAtKill.size).toBeLessThan(chunkCount);
  const calls = await embeddingCalls(database, documentId, killedAt);
  const resumedPositions = calls.filter((call) => call.afterKill).flatMap((call) => call.positions);
  // No staged chunk was embedded again, and every chunk not staged was embedded once after the kill.
  expect(resumedPositions.filter((position) => stagedAtKill.has(position))).toEqual([]);
  const expected = Array.from({ length: chunkCount }, (_, position) => position).filter(
    (position) => !stagedAtKill.has(position),
  );
  expect([...resumedPositions].sort((a, b) => a - b)).toEqual(expected);
  const chunks = await database.query<{ count: number }>(
    'SELECT count(*)::int8 AS count FROM knowledge_chunks WHERE document_id = $1',
    [documentId],
  );
  expect(chunks.rows[0]!.count).toBe(chunkCount);
  const staged = await stagedPositions(database, documentId);
  expect(staged.size).toBe(0);
  console.log(
    `[knowledge-durability] ${stagedAtKill.size} of ${chunkCount} chunks staged at the kill, none embedded again`,
  );
}

describe('a document being ingested survives SIGKILL', () => {
  it('of the embedded server: the restarted server resumes it on PGlite', async () => {
    const { directory, path } = await configFile();
    const environment = { KIMI_DATA_DIR: directory, KIMI_CONFIG: path, KIMI_ADMIN_KEY: adminKey };
    const first = await startServerProcess(environment, { timeoutMs: 60_000 });
    const { knowledgeBaseId, documentId } = await uploadLargeDocument(first.baseUrl);
    const documentPath = `/v1/knowledge-bases/${knowledgeBaseId}/documents/${documentId}`;
    const midway = await waitForDocument(
      first.baseUrl,
      documentPath,
      (document) => document.chunks_embedded >= 256,
    );
    expect(midway.status).toBe('processing');
    await first.stop('SIGKILL');
    const snapshot = await openDatabase({ dataDirectory: join(directory, 'data'), extensions: 'vector' });
    const stagedAtKill = await stagedPositions(snapshot, documentId);
    const killedAt = (await snapshot.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
    await snapshot.close();
    const second = await startServerProcess(environment, { timeoutMs: 60_000 });
    cleanups.push(() => second.stop());
    const ready = await waitForDocument(
      second.baseUrl,
      documentPath,
      (document) => document.status !== 'processing' && document.status !== 'queued',
    );
    expect(ready).toMatchObject({ status: 'ready', chunks_embedded: midway.chunk_count });
    await second.stop();
    const database = await openDatabase({ dataDirectory: join(directory, 'data'), extensions: 'vector' });
    try {
      await expectResumedWithoutRepeats(database, documentId, stagedAtKill, killedAt, midway.chunk_count);
    } finally {
      await database.close();
    }
  }, 120_000);

  it.runIf(services)(
    'of its worker: a second worker resumes it on PostgreSQL + Redis',
    async () => {
      const temporary = await createTemporaryDatabase();
      cleanups.push(() => temporary.drop());
      const { directory, path } = await configFile();
      const environment = {
        DATABASE_URL: temporary.url,
        REDIS_URL: testRedisUrl,
        KIMI_DATA_DIR: directory,
        KIMI_CONFIG: path,
        KIMI_ADMIN_KEY: adminKey,
        KIMI_SWARM_LEASE_MS: '1500',
      };
      const server = await startServerProcess({ ...environment, KIMI_SWARM_WORKER: '0' });
      cleanups.push(() => server.stop());
      const firstWorker = await startServerProcess(environment, { command: 'worker' });
      const database = await openDatabase({ databaseUrl: temporary.url, dataDirectory: 'memory://' });
      cleanups.push(() => database.close());
      const { knowledgeBaseId, documentId } = await uploadLargeDocument(server.baseUrl);
      const documentPath = `/v1/knowledge-bases/${knowledgeBaseId}/documents/${documentId}`;
      const midway = await waitForDocument(
        server.baseUrl,
        documentPath,
        (document) => document.chunks_embedded >= 256,
      );
      expect(midway.status).toBe('processing');
      await firstWorker.stop('SIGKILL');
      const stagedAtKill = await stagedPositions(database, documentId);
      const killedAt = (await database.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
      const secondWorker = await startServerProcess(environment, { command: 'worker' });
      cleanups.push(() => secondWorker.stop());
      const ready = await waitForDocument(
        server.baseUrl,
        documentPath,
        (document) => document.status !== 'processing' && document.status !== 'queued',
      );
      expect(ready).toMatchObject({ status: 'ready', chunks_embedded: midway.chunk_count });
      await expectResumedWithoutRepeats(database, documentId, stagedAtKill, killedAt, midway.chunk_count);
    },
    120_000,
  );
});
