import { beforeAll, describe, expect, it } from 'vitest';
import { type PlatformError, providerErrors } from '../errors/index.ts';
import { createSimulatedProvider } from '../providers/simulated/index.ts';
import {
  createCallDeadline,
  createCircuitBreakers,
  createRetryBudget,
  createUpstreamLimiter,
  isRetryableError,
  retryDelayMs,
} from '../resilience/index.ts';
import {
  createModelCatalog,
  type ModelCatalog,
  type RouteCandidate,
  type RoutePlan,
} from '../routing/index.ts';
import { createMemoryKeyValueStore } from '../storage/kv/index.ts';
import { createManualClock, loadTokenizer, seededRandom } from '../support/index.ts';
import { AttemptsExhausted, type DeploymentPolicy, runAttempts } from './attempt-loop.ts';

/** What a deployment does on its n-th call: answer, or throw this error. */
type Behaviour = 'ok' | PlatformError;

interface Case {
  name: string;
  /** Deployments in plan order, each with the outcomes of its successive calls (the last repeats). */
  deployments: Record<string, Behaviour[]>;
  /** Fallback group for context-window refusals, expanded to these deployments. */
  contextWindowFallback?: string[];
  /** Upstream quota exhausted on these deployments before the request. */
  quotaExhausted?: string[];
  /** Breakers forced open on these deployments before the request. */
  breakerOpen?: string[];
  maxAttempts?: number;
  expected:
    | { served: string; attempts: number; fallbackReason: string | null; calls: string[] }
    | { failed: string; attempts: number; calls: string[] };
}

const rateLimited = () => providerErrors.rateLimited('sim', 'slow down', 5);
const unavailable = () => providerErrors.unavailable('sim', 'down');
const badRequest = () => providerErrors.invalidRequest('sim', "'temperature' is out of range", 'temperature');
const tooLong = () => providerErrors.contextLengthExceededUpstream('sim', 'prompt too long');

const cases: Case[] = [
  {
    name: 'the first choice answers: one call, no fallback',
    deployments: { 'sim/a': ['ok'], 'sim/b': ['ok'] },
    expected: { served: 'sim/a', attempts: 1, fallbackReason: null, calls: ['sim/a'] },
  },
  {
    name: 'a retryable failure is retried on the same deployment',
    deployments: { 'sim/a': [unavailable(), 'ok'], 'sim/b': ['ok'] },
    expected: { served: 'sim/a', attempts: 2, fallbackReason: null, calls: ['sim/a', 'sim/a'] },
  },
  {
    name: 'retries exhausted on the first choice fall back to the next, with the reason',
    deployments: { 'sim/a': [rateLimited()], 'sim/b': ['ok'] },
    maxAttempts: 2,
    expected: {
      served: 'sim/b',
      attempts: 3,
      fallbackReason: 'rate_limited',
      calls: ['sim/a', 'sim/a', 'sim/b'],
    },
  },
  {
    name: "a caller's mistake stops at once: no retry, no fallback",
    deployments: { 'sim/a': [badRequest()], 'sim/b': ['ok'] },
    expected: { failed: 'PROVIDER_INVALID_REQUEST', attempts: 1, calls: ['sim/a'] },
  },
  {
    name: 'a context-window refusal switches to the configured fallback group',
    deployments: { 'sim/a': [tooLong()], 'sim/b': ['ok'] },
    contextWindowFallback: ['sim/c'],
    expected: { served: 'sim/c', attempts: 2, fallbackReason: 'context_window', calls: ['sim/a', 'sim/c'] },
  },
  {
    name: 'an exhausted upstream quota diverts without a call',
    deployments: { 'sim/a': ['ok'], 'sim/b': ['ok'] },
    quotaExhausted: ['sim/a'],
    expected: { served: 'sim/b', attempts: 1, fallbackReason: 'quota', calls: ['sim/b'] },
  },
  {
    name: 'an open breaker is skipped without a call',
    deployments: { 'sim/a': ['ok'], 'sim/b': ['ok'] },
    breakerOpen: ['sim/a'],
    expected: { served: 'sim/b', attempts: 1, fallbackReason: 'circuit_open', calls: ['sim/b'] },
  },
  {
    name: 'every candidate failing ends with the last error and the attempts made',
    deployments: { 'sim/a': [unavailable()], 'sim/b': [unavailable()] },
    maxAttempts: 1,
    expected: { failed: 'PROVIDER_UNAVAILABLE', attempts: 2, calls: ['sim/a', 'sim/b'] },
  },
  {
    name: 'only quotas held the request back: a rate-limit error that says when to return',
    deployments: { 'sim/a': ['ok'], 'sim/b': ['ok'] },
    quotaExhausted: ['sim/a', 'sim/b'],
    expected: { failed: 'PROVIDER_RATE_LIMITED', attempts: 0, calls: [] },
  },
];

let catalog: ModelCatalog;

beforeAll(async () => {
  const tokenizer = await loadTokenizer();
  const fast = { latency_ms: 0 };
  catalog = createModelCatalog(
    [createSimulatedProvider({ tokenizer, models: { a: fast, b: fast, c: fast } })],
    {},
  );
});

function candidate(id: string, fallbackDepth = 0): RouteCandidate {
  return { model: catalog.resolve(id), group: 'test', fallbackDepth };
}

describe('runAttempts', () => {
  it.each(cases)('$name', async (testCase) => {
    const clock = createManualClock();
    const quota = { requestsPerMinute: 1 };
    const policy = (deployment: string): DeploymentPolicy => ({
      retry: { maxAttempts: testCase.maxAttempts ?? 3, baseDelayMs: 10, maxDelayMs: 100 },
      firstTokenMs: 60_000,
      totalMs: 60_000,
      quota: testCase.quotaExhausted?.includes(deployment) ? quota : {},
    });
    const limiter = createUpstreamLimiter(clock);
    for (const deployment of testCase.quotaExhausted ?? []) {
      expect(limiter.tryAcquire(deployment, quota, 1).allowed).toBe(true);
    }
    const breakers = createCircuitBreakers({
      settingsFor: () => ({
        windowMs: 60_000,
        minimumRequests: 1,
        failureRatio: 0.5,
        cooldownMs: 60_000,
        halfOpenProbes: 1,
      }),
      clock,
      keyValueStore: createMemoryKeyValueStore({ clock }),
    });
    for (const deployment of testCase.breakerOpen ?? []) {
      const permit = await breakers.acquire(deployment);
      await breakers.record(deployment, 'failure', permit);
    }
    const calls: string[] = [];
    const callsSoFar = new Map<string, number>();
    const plan: RoutePlan = {
      requestedModel: 'test',
      group: 'test',
      strategy: 'ordered',
      candidates: Object.keys(testCase.deployments).map((id) => candidate(id)),
      contextWindowFallback: testCase.contextWindowFallback ? 'long' : null,
      contentPolicyFallback: null,
      decision: null,
    };
    const attempt = runAttempts(
      plan,
      {
        signal: new AbortController().signal,
        organizationId: 'org_test',
        estimatedTokens: 1,
        expandGroup: () => (testCase.contextWindowFallback ?? []).map((id) => candidate(id, 1)),
      },
      {
        breakers,
        limiter,
        retryBudget: createRetryBudget({ ratio: 1, minimumPerSecond: 100, windowMs: 10_000 }, clock),
        clock,
        random: seededRandom(7),
        policyFor: policy,
        retryDelayMs,
        isRetryable: isRetryableError,
        createDeadline: createCallDeadline,
      },
      async (chosen) => {
        const id = chosen.model.publicId;
        calls.push(id);
        const index = callsSoFar.get(id) ?? 0;
        callsSoFar.set(id, index + 1);
        const script = testCase.deployments[id] ?? ['ok'];
        const behaviour = script[Math.min(index, script.length - 1)]!;
        if (behaviour !== 'ok') throw behaviour;
        return `answer from ${id}`;
      },
    );
    const expected = testCase.expected;
    if ('served' in expected) {
      const outcome = await attempt;
      outcome.deadline.dispose();
      expect(outcome.value).toBe(`answer from ${expected.served}`);
      expect(outcome.candidate.model.publicId).toBe(expected.served);
      expect(outcome.attempts).toBe(expected.attempts);
      expect(outcome.fallbackReason).toBe(expected.fallbackReason);
    } else {
      const failure = await attempt.then(
        () => {
          throw new Error('the attempt loop should have failed');
        },
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AttemptsExhausted);
      const exhausted = failure as AttemptsExhausted;
      expect((exhausted.lastError as PlatformError).code).toBe(expected.failed);
      expect(exhausted.attempts).toBe(expected.attempts);
    }
    expect(calls).toEqual(expected.calls);
  });
});
