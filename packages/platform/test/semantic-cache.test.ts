import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/db/index.ts';
import { cacheUsageRow, chatRequest } from './support/cache-test-support.ts';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The semantic cache, opt-in per organisation, on both search paths: pgvector (PGlite loads it)
 * and the exact scan used where the extension is missing (the system PostgreSQL here).
 */
const postgres = await postgresAvailable();

interface Backend {
  name: string;
  mode: 'pgvector' | 'exact-scan';
  available: boolean;
  start(): Promise<{ testApp: TestApp; cleanup(): Promise<void> }>;
}

const config = { cache: { enabled: true } };

const backends: Backend[] = [
  {
    name: 'PGlite with pgvector',
    mode: 'pgvector',
    available: true,
    async start() {
      const database = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
      const testApp = await startTestApp({ database, config });
      return { testApp, cleanup: () => database.close() };
    },
  },
  {
    name: 'PostgreSQL without pgvector (exact scan)',
    mode: 'exact-scan',
    available: postgres,
    async start() {
      const temporary: TemporaryDatabase = await createTemporaryDatabase();
      const testApp = await startTestApp({ databaseUrl: temporary.url, config });
      return { testApp, cleanup: () => temporary.drop() };
    },
  },
];

for (const backend of backends) {
  describe.runIf(backend.available)(`semantic cache on ${backend.name}`, () => {
    let testApp: TestApp;
    let cleanup: () => Promise<void>;
    let tenant: { organizationId: string; keyId: string; secret: string };
    let neighbour: { organizationId: string; keyId: string; secret: string };

    const enableSemantic = async (organizationId: string, extra: object = {}) => {
      const response = await testApp.app.inject({
        method: 'PUT',
        url: `/v1/admin/organizations/${organizationId}/cache-policy`,
        headers: { authorization: `Bearer ${testApp.adminKey}` },
        payload: { semantic_enabled: true, ...extra },
      });
      expect(response.statusCode).toBe(200);
    };

    const ask = (secret: string, content: string, system?: string) =>
      chatRequest(testApp.app, secret, {
        model: 'sim/fast',
        messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content }],
      });

    beforeAll(async () => {
      ({ testApp, cleanup } = await backend.start());
      tenant = await createTenant(testApp, { name: 'semantic', role: 'admin' });
      neighbour = await createTenant(testApp, { name: 'semantic neighbour' });
      await enableSemantic(tenant.organizationId);
      await enableSemantic(neighbour.organizationId);
    });

    afterAll(async () => {
      await testApp?.close();
      await cleanup?.();
    });

    it('answers a rewording of a cached question, at cost 0', async () => {
      const original = await ask(tenant.secret, 'What is the capital of France?');
      expect(original.headers['x-kimi-cache']).toBe('miss');
      const reworded = await ask(tenant.secret, 'what is the capital of France');
      expect(reworded.headers['x-kimi-cache']).toBe('hit-semantic');
      expect(reworded.json().choices).toEqual(original.json().choices);
      const row = await cacheUsageRow(testApp.database, reworded.headers['x-request-id'] as string);
      expect(row).toMatchObject({ cache_status: 'hit-semantic', cost_usd: '0.000000000000' });
      expect(Number(row!.cache_saved_usd)).toBeGreaterThan(0);
    });

    it('does not answer an unrelated prompt that shares words', async () => {
      await ask(tenant.secret, 'What is the capital of France?');
      expect((await ask(tenant.secret, 'What is the capital of Germany?')).headers['x-kimi-cache']).toBe(
        'miss',
      );
      expect((await ask(tenant.secret, 'Is France the capital of fashion?')).headers['x-kimi-cache']).toBe(
        'miss',
      );
      expect(
        (await ask(tenant.secret, 'What is the capital gains tax rate in France?')).headers['x-kimi-cache'],
      ).toBe('miss');
    });

    it('never answers across organisations, system prompts or models', async () => {
      await ask(tenant.secret, 'Which ocean is the largest?');
      expect((await ask(neighbour.secret, 'which ocean is the largest')).headers['x-kimi-cache']).toBe(
        'miss',
      );
      expect(
        (await ask(tenant.secret, 'which ocean is the largest', 'Answer as a pirate.')).headers[
          'x-kimi-cache'
        ],
      ).toBe('miss');
      const otherModel = await chatRequest(testApp.app, tenant.secret, {
        model: 'sim/mini',
        messages: [{ role: 'user', content: 'which ocean is the largest' }],
      });
      expect(otherModel.headers['x-kimi-cache']).toBe('miss');
    });

    it('follows the organisation’s similarity threshold', async () => {
      await ask(tenant.secret, 'How do I boil an egg?');
      // "What's" against "What is": similar (about 0.9) but below the conservative default of 0.95.
      expect(
        (await ask(tenant.secret, "How do I boil an egg? What's the time?")).headers['x-kimi-cache'],
      ).toBe('miss');
      await ask(tenant.secret, 'What is the tallest mountain?');
      expect((await ask(tenant.secret, "What's the tallest mountain?")).headers['x-kimi-cache']).toBe('miss');
      await ask(tenant.secret, 'What is the longest river?');
      await enableSemantic(tenant.organizationId, { similarity_threshold: 0.85 });
      expect((await ask(tenant.secret, "What's the longest river?")).headers['x-kimi-cache']).toBe(
        'hit-semantic',
      );
      await enableSemantic(tenant.organizationId, { similarity_threshold: null });
    });

    it(`reports the ${backend.mode} search mode and purges semantic entries`, async () => {
      const stats = await testApp.app.inject({
        method: 'GET',
        url: '/v1/cache/stats',
        headers: { authorization: `Bearer ${tenant.secret}` },
      });
      expect(stats.json().semantic.mode).toBe(backend.mode);
      expect(stats.json().semantic.entries).toBeGreaterThan(0);
      expect(stats.json().requests.hit_semantic).toBeGreaterThan(0);
      const purge = await testApp.app.inject({
        method: 'DELETE',
        url: '/v1/cache',
        headers: { authorization: `Bearer ${tenant.secret}` },
      });
      expect(purge.json().semantic_entries).toBeGreaterThan(0);
      expect((await ask(tenant.secret, 'what is the capital of France')).headers['x-kimi-cache']).toBe(
        'miss',
      );
      // The neighbour's entries are untouched.
      await ask(neighbour.secret, 'Name a primary colour.');
      expect((await ask(neighbour.secret, 'name a primary colour')).headers['x-kimi-cache']).toBe(
        'hit-semantic',
      );
    });
  });
}
