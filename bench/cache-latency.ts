/**
 * Latency of the response cache: a request answered from L1 (in-process LRU), from L2 (the kv
 * store, Redis when reachable), and a miss answered by the instant simulated model, through the
 * whole app (`inject`: routing, auth, cache, metering) and for the cache lookup alone.
 *
 *   npm run bench:cache                      # Redis at redis://127.0.0.1:6379 when reachable
 *   BENCH_REDIS_URL=redis://host:6379 BENCH_REQUESTS=500 npm run bench:cache
 *
 * Everything runs in this process on loopback; it takes a few seconds.
 */
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createChatCache, noDirectives } from '../packages/platform/src/cache/index.ts';
import { configFileSchema } from '../packages/platform/src/config/index.ts';
import { embedWith } from '../packages/platform/src/gateway/index.ts';
import { buildApp } from '../packages/platform/src/http/index.ts';
import { createPlatform } from '../packages/platform/src/platform/index.ts';
import { createProviders } from '../packages/platform/src/providers/index.ts';
import { createModelCatalog } from '../packages/platform/src/routing/index.ts';
import { type Database, migrateDatabase, openDatabase } from '../packages/platform/src/storage/db/index.ts';
import { createKeyValueStore, type KeyValueStore } from '../packages/platform/src/storage/kv/index.ts';
import { createEventBus } from '../packages/platform/src/storage/pubsub/index.ts';
import { createJobQueue } from '../packages/platform/src/storage/queue/index.ts';
import { createSecretBox, loadTokenizer, systemClock } from '../packages/platform/src/support/index.ts';
import { createLogger, createMetrics } from '../packages/platform/src/telemetry/index.ts';
import { bootstrapTenancy } from '../packages/platform/src/tenancy/index.ts';
import { deleteRedisKeysWithPrefix } from '../packages/platform/test/support/redis-test-support.ts';

const requests = Number(process.env.BENCH_REQUESTS ?? 300);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const adminSecret = `sk-kimi-bench-admin-${'c'.repeat(32)}`;
const config = configFileSchema.parse({ cache: { enabled: true, ttl_seconds: 600 } });

function reachable(url: string): Promise<boolean> {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(Number(parsed.port || 6379), parsed.hostname, () => finish(true));
  });
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((left, right) => left - right);
  const at = (quantile: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
  const format = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
  return `p50 ${format(at(0.5))}  p90 ${format(at(0.9))}  p99 ${format(at(0.99))}  (n=${samples.length})`;
}

interface Replica {
  app: FastifyInstance;
  close(): Promise<void>;
}

async function startReplica(database: Database, keyValueStore: KeyValueStore): Promise<Replica> {
  const eventBus = createEventBus({});
  const jobQueue = createJobQueue({});
  const tokenizer = await loadTokenizer();
  const providers = createProviders(config, { clock: systemClock, tokenizer, environment: {} });
  const platform = await createPlatform({
    config,
    database,
    keyValueStore,
    eventBus,
    jobQueue,
    tokenizer,
    providers,
    secretBox: createSecretBox(randomBytes(32)),
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
  });
  const app = await buildApp(platform);
  return {
    app,
    async close() {
      await app.close();
      await platform.close();
      await jobQueue.close();
      await eventBus.close();
    },
  };
}

async function timedChat(app: FastifyInstance, content: string): Promise<{ ms: number; status: string }> {
  const started = performance.now();
  const response = await app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${adminSecret}` },
    payload: { model: 'sim/fast', temperature: 0, messages: [{ role: 'user', content }] },
  });
  const ms = performance.now() - started;
  if (response.statusCode !== 200) throw new Error(`unexpected ${response.statusCode}: ${response.body}`);
  return { ms, status: String(response.headers['x-kimi-cache']) };
}

async function measure(app: FastifyInstance, prompts: string[], expected: string): Promise<number[]> {
  const samples: number[] = [];
  for (const prompt of prompts) {
    const { ms, status } = await timedChat(app, prompt);
    if (status !== expected) throw new Error(`expected ${expected}, got ${status} for '${prompt}'`);
    samples.push(ms);
  }
  return samples;
}

/** The cache module alone: an L1 lookup, and an L2 lookup on the given kv store. */
async function lookupLatency(database: Database, keyValueStore: KeyValueStore) {
  const catalog = createModelCatalog(
    createProviders(config, { clock: systemClock, tokenizer: await loadTokenizer(), environment: {} }),
    {},
  );
  const cache = createChatCache({
    config: () => config.cache,
    keyValueStore,
    database,
    eventBus: createEventBus({}),
    clock: systemClock,
    metrics: createMetrics({ defaultMetrics: false }),
    embed: embedWith(() => catalog),
    policyPollIntervalMs: 60_000,
  });
  const decision = cache.decide({ organizationId: 'org_bench', apiKeyId: 'key' }, noDirectives, {
    temperature: 0,
  });
  const answer = {
    version: 1 as const,
    servedModel: 'sim/fast',
    providerModel: 'fast',
    group: 'sim/fast',
    choices: [{ index: 0, content: 'x'.repeat(800), toolCalls: [], finishReason: 'stop' as const }],
    usage: { promptTokens: 20, completionTokens: 200, cachedPromptTokens: 0 },
    usageSource: 'provider' as const,
    storedAt: Date.now(),
  };
  const call = { requestId: 'bench', signal: new AbortController().signal };
  const l1: number[] = [];
  const l2: number[] = [];
  for (let index = 0; index < requests; index += 1) {
    const target = cache.target('org_bench', 'sim/fast', {
      messages: [{ role: 'user', content: `lookup ${index} ${randomBytes(4).toString('hex')}` }],
    });
    await cache.store(target, answer, decision, call);
    let started = performance.now();
    if (!cache.lookupMemory(target)) throw new Error('L1 lookup missed');
    l1.push(performance.now() - started);
    // lookupShared reads L2 whatever L1 holds: the cost of an L2 hit (read, parse, fill L1).
    started = performance.now();
    const hit = await cache.lookupShared(target, decision, call);
    l2.push(performance.now() - started);
    if (keyValueStore.backend === 'redis' && hit?.layer !== 'l2') throw new Error('L2 lookup missed');
  }
  await cache.close();
  return { l1, l2 };
}

async function main(): Promise<void> {
  const useRedis = await reachable(redisUrl);
  const prefix = `kimi-bench-cache:${randomBytes(4).toString('hex')}:`;
  const keyValueStore = createKeyValueStore(useRedis ? { redisUrl, keyPrefix: prefix } : {});
  const database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
  await bootstrapTenancy(database, { organizationName: 'bench', adminSecret });
  const filler = await startReplica(database, keyValueStore);
  const reader = await startReplica(database, keyValueStore);
  try {
    const prompts = Array.from(
      { length: requests },
      (_, index) => `Benchmark prompt ${index}: what is ${index}?`,
    );
    // Warm up code paths (JIT, first metering write) before measuring.
    for (let index = 0; index < 50; index += 1) await timedChat(filler.app, `warm-up ${index}`);
    const misses = await measure(filler.app, prompts, 'miss');
    const l1Hits = await measure(filler.app, prompts, 'hit-l1');
    const l2Hits = useRedis ? await measure(reader.app, prompts, 'hit-l2') : null;
    const lookups = await lookupLatency(database, keyValueStore);
    const l2Name = useRedis ? `Redis at ${redisUrl}` : 'nothing: Redis is unreachable, so there is no L2';
    console.log(`\nResponse cache latency — ${requests} requests each, sim/fast, L2 on ${l2Name}\n`);
    console.log('whole request (app.inject: auth, routing, cache, metering write):');
    console.log(`  miss (provider call) ${summary(misses)}`);
    console.log(`  hit-l1               ${summary(l1Hits)}`);
    if (l2Hits) console.log(`  hit-l2               ${summary(l2Hits)}`);
    console.log('cache lookup alone:');
    console.log(`  L1 lookup            ${summary(lookups.l1)}`);
    if (useRedis) console.log(`  L2 lookup            ${summary(lookups.l2)}`);
  } finally {
    await filler.close();
    await reader.close();
    await keyValueStore.close();
    await database.close();
    if (useRedis) await deleteRedisKeysWithPrefix(redisUrl, prefix);
  }
}

await main();
