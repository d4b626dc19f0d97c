export type UsageEndpoint = 'chat.completions' | 'embeddings';
export type UsageSource = 'provider' | 'tokenizer' | 'none';

/** One row of the usage ledger: every request writes exactly one, success or failure. */
export interface UsageRecord {
  requestId: string;
  organizationId: string;
  apiKeyId: string | null;
  /** The team of the key that made the request, if it has one. */
  teamId?: string | null;
  endUser: string | null;
  endpoint: UsageEndpoint;
  requestedModel: string | null;
  provider: string | null;
  deployment: string | null;
  servedModel: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written to the one-hour cache. */
  cacheWriteOneHourTokens?: number;
  /** Exact decimal text, e.g. "0.000012300000". */
  costUsd: string;
  priceVersion: string | null;
  /** True when the served model has no price, so `costUsd` is 0 because nothing could be charged. */
  unpriced: boolean;
  usageSource: UsageSource;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  streamed: boolean;
  status: number;
  errorCode: string | null;
  /** The group the request resolved to (a model id when it named one). */
  modelGroup: string | null;
  /** Provider calls made, retries and fallbacks included; 0 when refused before any. */
  attempts: number;
  fallbackReason: string | null;
  /** hit-l1, hit-l2, hit-semantic, miss or bypass; null when the cache was not consulted. */
  cacheStatus: string | null;
  /** What a cache hit saved (the provider cost it avoided), exact decimal text; 0 otherwise. */
  cacheSavedUsd: string;
  createdAt: Date;
}

/** Column order of the INSERT, paired with how each value is read off a record. */
export const usageColumns: ReadonlyArray<readonly [string, (record: UsageRecord) => unknown]> = [
  ['request_id', (record) => record.requestId],
  ['organization_id', (record) => record.organizationId],
  ['api_key_id', (record) => record.apiKeyId],
  ['team_id', (record) => record.teamId ?? null],
  ['end_user', (record) => record.endUser],
  ['endpoint', (record) => record.endpoint],
  ['requested_model', (record) => record.requestedModel],
  ['provider', (record) => record.provider],
  ['deployment', (record) => record.deployment],
  ['served_model', (record) => record.servedModel],
  ['prompt_tokens', (record) => record.promptTokens],
  ['completion_tokens', (record) => record.completionTokens],
  ['cached_tokens', (record) => record.cachedTokens],
  ['cache_write_tokens', (record) => record.cacheWriteTokens],
  ['cache_write_1h_tokens', (record) => record.cacheWriteOneHourTokens ?? 0],
  ['cost_usd', (record) => record.costUsd],
  ['price_version', (record) => record.priceVersion],
  ['unpriced', (record) => record.unpriced],
  ['usage_source', (record) => record.usageSource],
  ['latency_ms', (record) => record.latencyMs],
  ['time_to_first_token_ms', (record) => record.timeToFirstTokenMs],
  ['streamed', (record) => record.streamed],
  ['status', (record) => record.status],
  ['error_code', (record) => record.errorCode],
  ['model_group', (record) => record.modelGroup],
  ['attempts', (record) => record.attempts],
  ['fallback_reason', (record) => record.fallbackReason],
  ['cache_status', (record) => record.cacheStatus],
  ['cache_saved_usd', (record) => record.cacheSavedUsd],
  ['created_at', (record) => record.createdAt],
];
