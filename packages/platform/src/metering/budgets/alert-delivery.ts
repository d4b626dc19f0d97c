import { z } from 'zod';
import type { Database } from '../../storage/db/index.ts';
import type { Job, JobQueue, QueueWorker } from '../../storage/queue/index.ts';
import type { Clock, SecretBox } from '../../support/index.ts';
import { SpanKind, type Tracing } from '../../telemetry/index.ts';
import {
  findDeliverableAlert,
  recordDeliveryAttempt,
  toThresholdEvent,
  undeliveredAlerts,
} from './alert-event.ts';
import {
  type AlertDeliveryJob,
  alertDeliveryQueue,
  defaultDeliveryRetry,
  deliveryJobId,
  periodKeyOfAlert,
} from './budget-alerts.ts';
import { loadWebhookTarget } from './webhook-repository.ts';
import { signWebhookPayload, webhookSignatureHeader } from './webhook-signature.ts';
import { type WebhookUrlPolicy, webhookUrlProblem } from './webhook-url.ts';

/** The ports and settings of the alert delivery worker. */
export interface AlertDeliveryOptions {
  queue: JobQueue;
  database: Database;
  /** Opens webhook secrets; null when no master key is configured (then nothing can be delivered). */
  secretBox: SecretBox | null;
  /** How deliveries reach webhooks; the platform passes a client that refuses non-public addresses. */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  clock: Clock;
  urlPolicy: WebhookUrlPolicy;
  /** Deliveries at once in this process; default 4. */
  concurrency?: number;
  /** Per delivery; default 10 s. */
  timeoutMs?: number;
  /** Tries per alert in all, the sweep's included; default 8. */
  maxAttempts?: number;
  backoffMs?: number;
  /**
   * How often undelivered alerts are enqueued again (default 60 s; also once at start). This is
   * what delivers alerts whose enqueue failed or whose in-process queue died with its process.
   */
  sweepIntervalMs?: number;
  /** Alerts older than this are no longer retried by the sweep; default 24 h. */
  sweepMaxAgeMs?: number;
  onError?: (error: unknown) => void;
  /**
   * A span per delivery, continuing the trace of the request whose settle crossed the threshold
   * (its context travels in the job); the webhook receives the span's `traceparent`.
   */
  tracing?: Tracing;
}

/** A running alert delivery worker. */
export interface AlertDelivery {
  /** Enqueues undelivered alerts with tries left; returns how many. */
  sweep(): Promise<number>;
  /** Stops sweeping and waits for running deliveries. */
  close(): Promise<void>;
}

const jobSchema = z.object({
  budgetId: z.string().min(1),
  periodStart: z.iso.datetime({ offset: true }),
  threshold: z.number().int(),
});

/** Why a delivery failed, with the causes fetch wraps (a refused destination shows as 'fetch failed' otherwise). */
function describeFailure(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current.message !== 'fetch failed') messages.push(current.message);
    current = current.cause;
  }
  return messages.join(': ') || (error instanceof Error ? error.message : String(error));
}

/**
 * Works the 'budget-alert-delivery' queue: POSTs each alert as a `budget.threshold_reached` event to
 * its organisation's webhook, signed (`x-kimi-signature`, see webhook-signature.ts), and records
 * the outcome on the alert. A failed POST is recorded and rethrown, so the queue retries it with
 * backoff. Delivery is at least once (a crash between POST and record repeats it): receivers
 * deduplicate by event id. Redirects are not followed (SSRF), and the URL is checked again here.
 */
export async function startAlertDelivery(options: AlertDeliveryOptions): Promise<AlertDelivery> {
  const maxAttempts = options.maxAttempts ?? defaultDeliveryRetry.attempts;
  const backoffMs = options.backoffMs ?? defaultDeliveryRetry.backoffMs;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function post(url: string, secret: string, body: string, eventId: string): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      const response = await options.fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'kimi-platform-webhooks/1',
          'x-kimi-event-id': eventId,
          'x-kimi-event-type': 'budget.threshold_reached',
          [webhookSignatureHeader]: signWebhookPayload(secret, body, Math.floor(options.clock.now() / 1000)),
          ...options.tracing?.inject({}),
        },
        body,
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status >= 300) {
        throw new Error(`the webhook answered HTTP ${response.status}`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  function deliver(job: Job<AlertDeliveryJob>): Promise<void> {
    const tracing = options.tracing;
    if (!tracing) return deliverAlert(job);
    return tracing.inSpan(
      'budget alert delivery',
      {
        kind: SpanKind.CONSUMER,
        parent: tracing.extract({ traceparent: job.data.traceparent, tracestate: job.data.tracestate }),
        attributes: { 'kimi.budget.id': job.data.budgetId, 'kimi.budget.threshold': job.data.threshold },
      },
      () => deliverAlert(job),
    );
  }

  async function deliverAlert(job: Job<AlertDeliveryJob>): Promise<void> {
    const parsed = jobSchema.parse(job.data);
    const key = {
      budgetId: parsed.budgetId,
      periodStart: new Date(parsed.periodStart),
      threshold: parsed.threshold,
    };
    const found = await findDeliverableAlert(options.database, key);
    if (!found || found.alert.deliveredAt) return;
    const recordFailure = (error: string) =>
      recordDeliveryAttempt(options.database, key, { delivered: false, error });
    // why: without a webhook, master key or acceptable URL a retry now cannot succeed; the sweep
    // tries again later (until the tries run out), in case an admin fixes the webhook meanwhile.
    if (!options.secretBox)
      return recordFailure('no master key is configured, so webhook secrets cannot be opened');
    const target = await loadWebhookTarget(options.database, options.secretBox, found.alert.organizationId);
    if (!target) return recordFailure('no webhook is configured');
    const problem = webhookUrlProblem(target.url, options.urlPolicy);
    if (problem) return recordFailure(`the webhook URL ${problem}`);
    const event = toThresholdEvent(found);
    try {
      await post(target.url, target.secret, JSON.stringify(event), event.id);
    } catch (error) {
      await recordFailure(describeFailure(error));
      throw error;
    }
    await recordDeliveryAttempt(options.database, key, { delivered: true });
  }

  async function sweep(): Promise<number> {
    const pending = await undeliveredAlerts(options.database, {
      maxAttempts,
      createdAfter: new Date(options.clock.now() - (options.sweepMaxAgeMs ?? 86_400_000)),
      limit: 500,
    });
    for (const alert of pending) {
      const job: AlertDeliveryJob = {
        budgetId: alert.budgetId,
        periodStart: alert.periodStart.toISOString(),
        threshold: alert.threshold,
      };
      await options.queue.enqueue(alertDeliveryQueue, job, {
        jobId: deliveryJobId(
          alert.budgetId,
          periodKeyOfAlert(alert.period, alert.periodStart),
          alert.threshold,
        ),
        attempts: Math.max(1, maxAttempts - alert.attempts),
        backoffMs,
      });
    }
    return pending.length;
  }

  const worker: QueueWorker = await options.queue.work<AlertDeliveryJob>(alertDeliveryQueue, deliver, {
    concurrency: options.concurrency ?? 4,
    leaseMs: timeoutMs * 3,
  });

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const scheduleSweep = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void sweep()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => scheduleSweep(options.sweepIntervalMs ?? 60_000));
    }, delayMs);
    timer.unref();
  };
  scheduleSweep(0);

  return {
    sweep,
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await worker.close();
    },
  };
}
