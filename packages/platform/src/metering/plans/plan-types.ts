/** Where a plan's current definition came from; start-up seeding never overwrites 'api'. */
export type PlanSource = 'built-in' | 'config' | 'api';

/** A plan's default rate limits; null means the plan sets none. */
export interface PlanRateLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  concurrentRequests: number | null;
}

/** What a plan allows. Every null means "unlimited" (or "custom", for the price). */
export interface PlanDefinition {
  id: string;
  name: string;
  /** Higher is a bigger plan; upgrade suggestions only point upwards. */
  rank: number;
  /** Decimal text, e.g. "49"; null for a custom price. */
  monthlyPriceUsd: string | null;
  /** Model requests per calendar month (UTC). */
  monthlyRequestQuota: number | null;
  /** Model ids, aliases, routing groups and `provider/*` patterns; null allows every model. */
  allowedModels: readonly string[] | null;
  rateLimits: PlanRateLimits;
  /** Decimal text; an implicit monthly organisation budget when the organisation has none of its own. */
  monthlyBudgetUsd: string | null;
  /** Most agents one swarm run may have. */
  maxAgentsPerRun: number | null;
  /** Knowledge bases: the largest file (or JSON text, in UTF-8 bytes) one document may be. */
  knowledgeMaxFileBytes: number | null;
  /** Knowledge bases: documents the organisation may hold (queued, processing and ready). */
  knowledgeMaxDocuments: number | null;
  /** Knowledge bases: chunks the organisation's documents may hold. */
  knowledgeMaxChunks: number | null;
}

/** A stored plan. */
export interface Plan extends PlanDefinition {
  source: PlanSource;
  createdAt: Date;
  updatedAt: Date;
}
