import type { FallbackReason } from '../routing/index.ts';
import type { Tracing } from '../telemetry/index.ts';

/**
 * One routing attempt (one call to one deployment, until its first content) as a span: the
 * provider's client span is its child. Without tracing the call runs as it is.
 */
export function traceAttempt<Value>(
  tracing: Tracing | undefined,
  attempt: { deployment: string; number: number; fallbackReason: FallbackReason | null },
  call: () => Promise<Value>,
): Promise<Value> {
  if (!tracing) return call();
  return tracing.inSpan(
    'routing attempt',
    {
      attributes: {
        'kimi.deployment': attempt.deployment,
        'kimi.attempt': attempt.number,
        ...(attempt.fallbackReason ? { 'kimi.fallback_reason': attempt.fallbackReason } : {}),
      },
    },
    call,
  );
}
