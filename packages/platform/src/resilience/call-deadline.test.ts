import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isPlatformError, PlatformError } from '../errors/index.ts';
import { createCallDeadline } from './call-deadline.ts';
import { isRetryableError } from './retry-delay.ts';

describe('createCallDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts with a retryable PROVIDER_TIMEOUT when the first token is late', () => {
    const parent = new AbortController();
    const deadline = createCallDeadline({
      parent: parent.signal,
      provider: 'openai',
      firstTokenMs: 1_000,
      totalMs: 5_000,
    });
    vi.advanceTimersByTime(999);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    const reason: unknown = deadline.signal.reason;
    expect(reason).toBeInstanceOf(PlatformError);
    expect(reason).toMatchObject({ code: 'PROVIDER_TIMEOUT', status: 504, retryable: true });
    expect((reason as PlatformError).message).toContain('openai');
    expect((reason as PlatformError).message).toContain('1000 ms');
    expect(isRetryableError(reason)).toBe(true);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('stops the first-token timer once the first token arrives; the total timer still applies', () => {
    const parent = new AbortController();
    const deadline = createCallDeadline({
      parent: parent.signal,
      provider: 'anthropic',
      firstTokenMs: 1_000,
      totalMs: 5_000,
    });
    vi.advanceTimersByTime(500);
    deadline.firstTokenReceived();
    vi.advanceTimersByTime(4_499);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true });
    expect((deadline.signal.reason as PlatformError).message).toContain('5000 ms');
  });

  it('applies only the total timer without a first-token timeout, or when it is not shorter', () => {
    const parent = new AbortController();
    const without = createCallDeadline({ parent: parent.signal, provider: 'p', totalMs: 2_000 });
    const longer = createCallDeadline({
      parent: parent.signal,
      provider: 'p',
      firstTokenMs: 9_000,
      totalMs: 2_000,
    });
    vi.advanceTimersByTime(2_000);
    for (const deadline of [without, longer]) {
      expect(deadline.signal.aborted).toBe(true);
      expect((deadline.signal.reason as PlatformError).message).toContain('2000 ms');
    }
  });

  it("aborts with the parent's own reason when the parent aborts first", () => {
    const parent = new AbortController();
    const deadline = createCallDeadline({
      parent: parent.signal,
      provider: 'p',
      firstTokenMs: 1_000,
      totalMs: 5_000,
    });
    const clientGone = new Error('client closed the connection');
    parent.abort(clientGone);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(clientGone);
    expect(isRetryableError(deadline.signal.reason)).toBe(false);
    // The timers were cleared: nothing fires later and the reason stays the parent's.
    expect(vi.getTimerCount()).toBe(0);
    expect(deadline.signal.reason).toBe(clientGone);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted from the start when the parent already is', () => {
    const parent = new AbortController();
    parent.abort(new Error('gone'));
    const deadline = createCallDeadline({ parent: parent.signal, provider: 'p', totalMs: 5_000 });
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('gone');
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('dispose clears the timers and detaches from the parent without aborting', () => {
    const parent = new AbortController();
    const deadline = createCallDeadline({
      parent: parent.signal,
      provider: 'p',
      firstTokenMs: 100,
      totalMs: 200,
    });
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(2);
    deadline.dispose();
    deadline.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    vi.advanceTimersByTime(10_000);
    parent.abort(new Error('later'));
    expect(deadline.signal.aborted).toBe(false);
  });

  it('treats a deadline beyond the longest timer as no deadline', () => {
    const parent = new AbortController();
    const deadline = createCallDeadline({
      parent: parent.signal,
      provider: 'p',
      totalMs: Number.POSITIVE_INFINITY,
    });
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2 ** 31);
    expect(deadline.signal.aborted).toBe(false);
    deadline.dispose();
  });

  it('leaves no listeners and no timers after 10 000 deadlines are created and disposed', () => {
    const parent = new AbortController();
    for (let index = 0; index < 10_000; index++) {
      const deadline = createCallDeadline({
        parent: parent.signal,
        provider: 'p',
        firstTokenMs: 1_000,
        totalMs: 5_000,
      });
      if (index % 2 === 0) deadline.firstTokenReceived();
      if (index % 3 === 0) vi.advanceTimersByTime(1_000);
      deadline.dispose();
    }
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createCallDeadline on real timers', () => {
  it('fires the first-token timeout in real time', async () => {
    const parent = new AbortController();
    const deadline = createCallDeadline({
      parent: parent.signal,
      provider: 'sim',
      firstTokenMs: 30,
      totalMs: 5_000,
    });
    const started = performance.now();
    const reason = await new Promise<unknown>((resolve) => {
      deadline.signal.addEventListener('abort', () => resolve(deadline.signal.reason), { once: true });
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(isPlatformError(reason) && reason.code === 'PROVIDER_TIMEOUT').toBe(true);
    deadline.dispose();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('lets fetch-style consumers see the reason', async () => {
    const parent = new AbortController();
    const deadline = createCallDeadline({ parent: parent.signal, provider: 'sim', totalMs: 20 });
    const waited = new Promise((_resolve, reject) => {
      deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true });
    });
    await expect(waited).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    deadline.dispose();
  });
});
