import { describe, expect, it } from 'vitest';
import { simulatedModelSettingsSchema } from './simulated-api.ts';

describe('simulatedModelSettingsSchema', () => {
  it('fills every default', () => {
    expect(simulatedModelSettingsSchema.parse({})).toEqual({
      kind: 'chat',
      context_window: 128_000,
      max_output_tokens: 4096,
      dimensions: 256,
      latency_ms: 0,
      jitter_ms: 0,
      chunk_delay_ms: 0,
      failure_rate: 0,
      rate_limit_rate: 0,
      retry_after_ms: 1000,
      timeout_rate: 0,
      mid_stream_failure_rate: 0,
    });
  });

  it('rejects unknown keys and out-of-range shares with their path', () => {
    const unknown = simulatedModelSettingsSchema.safeParse({ latencyMs: 5 });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.code).toBe('unrecognized_keys');
    const share = simulatedModelSettingsSchema.safeParse({ timeout_rate: 1.5 });
    expect(share.error?.issues[0]?.path).toEqual(['timeout_rate']);
    expect(simulatedModelSettingsSchema.safeParse({ kind: 'image' }).success).toBe(false);
  });
});
