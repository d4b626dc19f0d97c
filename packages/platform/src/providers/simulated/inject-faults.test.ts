import { beforeAll, describe, expect, it } from 'vitest';
import { errors, isPlatformError, type PlatformError, providerErrors } from '../../errors/index.ts';
import { loadTokenizer, seededRandom, type Tokenizer } from '../../support/index.ts';
import { createSimulatedProvider } from './simulated-provider.ts';
import { collect, collectUntilError, recordingClock, userRequest } from './simulated-test-support.ts';

const options = { requestId: 'request-1' };
let tokenizer: Tokenizer;

beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

function codeOf(error: unknown): string {
  return isPlatformError(error) ? error.code : 'NOT_A_PLATFORM_ERROR';
}

describe('fault injection by share', () => {
  it('fails roughly the configured share of 1000 calls, and retries can succeed', async () => {
    const model = createSimulatedProvider({
      tokenizer,
      clock: recordingClock(),
      random: seededRandom(11),
    }).languageModel('flaky');
    const outcomes: string[] = [];
    for (let call = 0; call < 1000; call += 1) {
      outcomes.push(await model.generate(userRequest('Hello'), options).then(() => 'ok', codeOf));
    }
    const failures = outcomes.filter((outcome) => outcome === 'PROVIDER_UNAVAILABLE').length;
    expect(failures).toBeGreaterThan(250);
    expect(failures).toBeLessThan(350);
    expect(outcomes.filter((outcome) => outcome === 'ok').length).toBe(1000 - failures);
  });

  it('splits rate limits, timeouts and mid-stream failures by their shares', async () => {
    const clock = recordingClock();
    const model = createSimulatedProvider({
      tokenizer,
      clock,
      random: seededRandom(5),
      models: {
        chaos: {
          failure_rate: 0.1,
          rate_limit_rate: 0.2,
          timeout_rate: 0.1,
          mid_stream_failure_rate: 0.2,
          retry_after_ms: 750,
        },
      },
    }).languageModel('chaos');
    const counts = new Map<string, number>();
    let partialStreams = 0;
    for (let call = 0; call < 1000; call += 1) {
      const { parts, error } = await collectUntilError(model.stream(userRequest('Tell me a story'), options));
      const outcome = error === undefined ? 'ok' : codeOf(error);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      if (outcome === 'PROVIDER_RATE_LIMITED') expect((error as PlatformError).retryAfterMs).toBe(750);
      if (outcome === 'PROVIDER_STREAM_INTERRUPTED') {
        expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
        expect(parts.some((part) => part.type === 'finish')).toBe(false);
        partialStreams += 1;
      }
    }
    const near = (code: string, share: number) => {
      const count = counts.get(code) ?? 0;
      expect(count, code).toBeGreaterThan(share * 1000 - 50);
      expect(count, code).toBeLessThan(share * 1000 + 50);
    };
    near('PROVIDER_UNAVAILABLE', 0.1);
    near('PROVIDER_RATE_LIMITED', 0.2);
    near('PROVIDER_TIMEOUT', 0.1);
    near('PROVIDER_STREAM_INTERRUPTED', 0.2);
    near('ok', 0.4);
    expect(partialStreams).toBe(counts.get('PROVIDER_STREAM_INTERRUPTED'));
    expect(clock.sleeps.filter((sleep) => sleep === 60_000).length).toBe(counts.get('PROVIDER_TIMEOUT'));
  });

  it('adds uniform jitter to the latency from the injected random source', async () => {
    const clock = recordingClock();
    const model = createSimulatedProvider({
      tokenizer,
      clock,
      random: seededRandom(3),
      models: { jittery: { latency_ms: 100, jitter_ms: 50 } },
    }).languageModel('jittery');
    for (let call = 0; call < 20; call += 1) await model.generate(userRequest('Hi'), options);
    expect(clock.sleeps).toHaveLength(20);
    expect(clock.sleeps.every((sleep) => sleep >= 100 && sleep < 150)).toBe(true);
    expect(new Set(clock.sleeps).size).toBeGreaterThan(10);
  });
});

describe('fault directives', () => {
  const model = () =>
    createSimulatedProvider({ tokenizer, clock: recordingClock(), faultDirectives: true }).languageModel(
      'fast',
    );

  it('[[sim:error=503]] fails with PROVIDER_UNAVAILABLE', async () => {
    await expect(model().generate(userRequest('Hi [[sim:error=503]]'), options)).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
    });
  });

  it('[[sim:error=429]] rate limits with the configured or the given retry delay', async () => {
    await expect(model().generate(userRequest('Hi [[sim:error=429]]'), options)).rejects.toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      retryAfterMs: 1000,
    });
    await expect(
      model().generate(userRequest('Hi [[sim:error=429]] [[sim:retry_after_ms=250]]'), options),
    ).rejects.toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryAfterMs: 250 });
  });

  it('[[sim:timeout]] hangs until the signal fires', async () => {
    const controller = new AbortController();
    const call = model().generate(userRequest('Hi [[sim:timeout]]'), {
      ...options,
      signal: controller.signal,
    });
    let settled = false;
    call
      .catch(() => undefined)
      .finally(() => {
        settled = true;
      });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(settled).toBe(false);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
  });

  it('[[sim:timeout]] rejects with the caller’s own coded reason', async () => {
    const controller = new AbortController();
    const reason = errors.unavailable('Deadline reached.', 'Retry later.');
    const call = model().generate(userRequest('Hi [[sim:timeout]]'), {
      ...options,
      signal: controller.signal,
    });
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it('[[sim:stream_fail_after=3]] breaks a stream after three deltas and fails generate', async () => {
    const request = userRequest('Tell me a long story [[sim:stream_fail_after=3]]');
    const { parts, error } = await collectUntilError(model().stream(request, options));
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'text-delta', 'text-delta']);
    expect(codeOf(error)).toBe('PROVIDER_STREAM_INTERRUPTED');
    await expect(model().generate(request, options)).rejects.toMatchObject({
      code: 'PROVIDER_STREAM_INTERRUPTED',
    });
  });

  it('[[sim:latency_ms=N]] replaces the configured latency', async () => {
    const clock = recordingClock();
    const smart = createSimulatedProvider({ tokenizer, clock, faultDirectives: true }).languageModel('smart');
    await smart.generate(userRequest('Hi'), options);
    await smart.generate(userRequest('Hi [[sim:latency_ms=1234]]'), options);
    expect(clock.sleeps).toEqual([40, 1234]);
  });

  it('reads directives only from the last user message', async () => {
    const result = await model().generate(
      {
        model: 'fast',
        messages: [
          { role: 'user', content: 'First [[sim:error=503]]' },
          { role: 'assistant', content: 'Sorry.' },
          { role: 'user', content: 'Try again' },
        ],
      },
      options,
    );
    expect(result.choices).toHaveLength(1);
  });

  it('rejects an unknown or malformed directive naming messages', async () => {
    await expect(model().generate(userRequest('[[sim:explode]]'), options)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      param: 'messages',
    });
    await expect(model().generate(userRequest('[[sim:latency_ms=soon]]'), options)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });
});

describe('fault directives and whose fault a failure is', () => {
  it('are plain prompt text unless the operator enabled them', async () => {
    const clock = recordingClock();
    const smart = createSimulatedProvider({ tokenizer, clock }).languageModel('smart');
    const result = await smart.generate(
      userRequest('Hi [[sim:error=429]] [[sim:retry_after_ms=20000]] [[sim:latency_ms=5]] [[sim:explode]]'),
      options,
    );
    expect(result.choices[0]?.content).toContain('[[sim:error=429]]');
    expect(clock.sleeps).toEqual([40]);
    const parts = await collect(smart.stream(userRequest('A story [[sim:stream_fail_after=0]]'), options));
    expect(parts.map((part) => part.type)).toContain('finish');
  });

  it('mark every provider failure they provoke as the caller’s', async () => {
    const model = createSimulatedProvider({ tokenizer, clock: recordingClock(), faultDirectives: true });
    const fast = model.languageModel('fast');
    await expect(fast.generate(userRequest('Hi [[sim:error=429]]'), options)).rejects.toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      faultScope: 'caller',
    });
    await expect(fast.generate(userRequest('Hi [[sim:error=503]]'), options)).rejects.toMatchObject({
      faultScope: 'caller',
    });
    const stream = fast.stream(userRequest('A story [[sim:stream_fail_after=2]]'), options);
    expect(await collectUntilError(stream)).toMatchObject({ error: { faultScope: 'caller' } });
    const deadline = providerErrors.timeout('gateway', 10);
    const controller = new AbortController();
    const hung = fast.generate(userRequest('Hi [[sim:timeout]]'), { ...options, signal: controller.signal });
    controller.abort(deadline);
    await expect(hung).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT', faultScope: 'caller' });
    expect(deadline.faultScope).toBe('deployment');
  });

  it('leave failures by chance to the deployment', async () => {
    const flaky = createSimulatedProvider({
      tokenizer,
      clock: recordingClock(),
      random: () => 0,
      faultDirectives: true,
      models: { broken: { failure_rate: 1 } },
    }).languageModel('broken');
    await expect(flaky.generate(userRequest('Hi'), options)).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      faultScope: 'deployment',
    });
  });
});

describe('aborts', () => {
  it('rejects promptly when aborted during the latency', async () => {
    const provider = createSimulatedProvider({ tokenizer, models: { slow: { latency_ms: 60_000 } } });
    const controller = new AbortController();
    const startedAt = Date.now();
    const call = provider
      .languageModel('slow')
      .generate(userRequest('Hi'), { ...options, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const clock = recordingClock();
    const model = createSimulatedProvider({ tokenizer, clock }).languageModel('smart');
    const signal = AbortSignal.abort();
    await expect(model.generate(userRequest('Hi'), { ...options, signal })).rejects.toMatchObject({
      code: 'PROVIDER_TIMEOUT',
    });
    expect(clock.sleeps).toEqual([]);
  });
});
