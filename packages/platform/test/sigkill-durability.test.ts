import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/storage/db/index.ts';
import { startServerProcess } from './support/server-process.ts';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';

/**
 * SIGKILL of the server under load loses no usage record of a request whose response completed:
 * the record is committed before the response is sent.
 */
const adminKey = `sk-kimi-durability-${'d'.repeat(32)}`;
const postgres = await postgresAvailable();
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** Bounded load: `workers` loops on loopback until `stop()`; returns the ids of completed responses. */
function runLoad(baseUrl: string, workers: number) {
  const completed: string[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let index = 0; running && index < 10_000; index++) {
      try {
        const response = await fetch(`${baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'sim/fast',
            stream: index % 3 === 0,
            messages: [{ role: 'user', content: `durability ${worker}-${index}` }],
          }),
        });
        const body = await response.text();
        // A stream is complete only when [DONE] arrived; a JSON answer when the whole body parsed.
        const complete =
          response.status === 200 && (body.includes('[DONE]') || body.includes('"chat.completion"'));
        if (complete) completed.push(response.headers.get('x-request-id')!);
      } catch {
        // The kill cuts in-flight requests; those never completed, so they owe no record.
      }
    }
  });
  return {
    completed,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function killUnderLoad(environment: Record<string, string>, openStore: () => Promise<Database>) {
  const server = await startServerProcess({ ...environment, KIMI_ADMIN_KEY: adminKey });
  const load = runLoad(server.baseUrl, 16);
  const deadline = Date.now() + 15_000;
  while (load.completed.length < 300 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await server.stop('SIGKILL');
  await load.stop();
  expect(load.completed.length).toBeGreaterThanOrEqual(300);

  const database = await openStore();
  try {
    const result = await database.query<{ request_id: string }>(
      'SELECT request_id FROM usage_records WHERE request_id = ANY($1::text[])',
      [load.completed],
    );
    const recorded = new Set(result.rows.map((row) => row.request_id));
    const missing = load.completed.filter((id) => !recorded.has(id));
    expect(missing).toEqual([]);
  } finally {
    await database.close();
  }
}

describe('SIGKILL under load loses no completed request’s usage record', () => {
  it('on the embedded PGlite store', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kimi-sigkill-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    await killUnderLoad({ KIMI_DATA_DIR: directory }, () =>
      openDatabase({ dataDirectory: join(directory, 'data') }),
    );
  }, 90_000);

  it.runIf(postgres)(
    'on PostgreSQL',
    async () => {
      const temporary: TemporaryDatabase = await createTemporaryDatabase();
      cleanups.push(() => temporary.drop());
      const directory = await mkdtemp(join(tmpdir(), 'kimi-sigkill-pg-'));
      cleanups.push(() => rm(directory, { recursive: true, force: true }));
      await killUnderLoad({ DATABASE_URL: temporary.url, KIMI_DATA_DIR: directory }, () =>
        openDatabase({ databaseUrl: temporary.url, dataDirectory: 'memory://' }),
      );
    },
    90_000,
  );
});
