import { z } from 'zod';

const share = z.number().min(0).max(1);
const milliseconds = z.number().min(0);

/**
 * Settings of one simulated model, as written under `providers.sim.models.<name>` in the YAML
 * config file (hence snake_case). Every key is optional; unknown keys are rejected so a typo in
 * the config file is reported with its path instead of being silently ignored.
 *
 * The fault shares are taken from one uniform draw per call, in the order failure, rate limit,
 * timeout, mid-stream failure, so their sum should stay at or below 1.
 */
export const simulatedModelSettingsSchema = z
  .object({
    kind: z.enum(['chat', 'embedding']).default('chat'),
    context_window: z.number().int().positive().default(128_000),
    max_output_tokens: z.number().int().positive().default(4096),
    /** Default vector length of an embedding model. */
    dimensions: z.number().int().min(1).max(4096).default(256),
    /** Delay before the first byte (stream) or before the answer (generate). */
    latency_ms: milliseconds.default(0),
    /** Uniform extra delay between 0 and this, added to `latency_ms`. */
    jitter_ms: milliseconds.default(0),
    /** Delay between two stream chunks. */
    chunk_delay_ms: milliseconds.default(0),
    /** Share of calls that fail with PROVIDER_UNAVAILABLE. */
    failure_rate: share.default(0),
    /** Share of calls answered with PROVIDER_RATE_LIMITED. */
    rate_limit_rate: share.default(0),
    /** The Retry-After the simulated rate limit announces. */
    retry_after_ms: z.number().int().min(0).default(1000),
    /** Share of calls that hang until the caller aborts them. */
    timeout_rate: share.default(0),
    /** Share of streams that break off after some text (non-stream calls fail instead). */
    mid_stream_failure_rate: share.default(0),
    description: z.string().optional(),
  })
  .strict();

/** The settings of one simulated model after defaults are applied. */
export type SimulatedModelSettings = z.output<typeof simulatedModelSettingsSchema>;

/** The settings as a config file or a test writes them: every key optional. */
export type SimulatedModelSettingsInput = z.input<typeof simulatedModelSettingsSchema>;
