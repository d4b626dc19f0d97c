import type { UsageEndpoint } from '../../metering/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { ChatQuote } from '../chat-gateway.ts';
import type { MeteredCharge } from '../usage-meter.ts';

/** One model request at the door: who sends it, where it may go, and how big it may get. */
export interface AdmissionRequest {
  context: AuthContext;
  /** Unique per request: its reservation and concurrency slot are named after it. */
  requestId: string;
  endpoint: UsageEndpoint;
  /** The request's `user` field: end-user budgets count it. */
  endUser: string | null;
  modelName: string;
  quote: ChatQuote;
  /** Exact prompt tokens (tokenizer); called only when a budget applies. */
  promptTokens: () => number;
  /** The most completion tokens the request may produce (max_tokens × n, or the default); 0 for embeddings. */
  completionTokens: number;
}

/** An admitted request's holds: quota, rate-limit charges, concurrency slots and budget reservation. */
export interface Admitted {
  /** The quote with every candidate the organisation's plan does not allow removed. */
  quote: ChatQuote;
  /** The `x-ratelimit-*` headers of the rate limits that apply (empty when none does). */
  limitHeaders: Readonly<Record<string, string>>;
  /**
   * Settles the holds with what the request really cost (null when nothing was metered): the
   * budget reservation becomes the real cost, token limits the real tokens, slots are freed and a
   * request that never reached a provider gives its quota back. Never throws.
   */
  finish(charge: MeteredCharge | null): Promise<void>;
}

/** The tenant-limits step of the request path (plan, quota, RPM/TPM, concurrency, budgets). */
export interface Admission {
  /**
   * Takes every hold or none; throws the refusal (403, 429, 402 or 503) when one does not fit,
   * carrying the `x-ratelimit-*` headers once the rate limits were checked.
   */
  admit(request: AdmissionRequest): Promise<Admitted>;
}
