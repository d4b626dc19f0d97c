import type { ResolvedModel } from './model-catalog.ts';

/** Why an attempt went to a deployment other than the first choice. */
export type FallbackReason =
  | 'error'
  | 'rate_limited'
  | 'timeout'
  | 'circuit_open'
  | 'quota'
  | 'context_window'
  | 'content_policy';

/** One deployment the gateway may try, in order. */
export interface RouteCandidate {
  model: ResolvedModel;
  /** The group it came from (the requested one, or a fallback group). */
  group: string;
  /** 0 for the requested group, 1+ for fallback groups in chain order. */
  fallbackDepth: number;
}

/** What routing decided for one request, before any call: also what /v1/routing/explain returns. */
export interface RoutePlan {
  requestedModel: string;
  /** The group the request resolved to (for `auto`, the policy's target). */
  group: string;
  strategy: string;
  candidates: RouteCandidate[];
  /** Fallback groups for specific failures, when configured. */
  contextWindowFallback: string | null;
  contentPolicyFallback: string | null;
  /** For `auto`: the score, the features behind it and the rule that matched. */
  decision: RoutingDecision | null;
}

export interface ComplexityFeatures {
  promptTokens: number;
  hasCode: boolean;
  reasoningCues: number;
  toolCount: number;
  turns: number;
}

export interface RoutingDecision {
  complexity: number;
  features: ComplexityFeatures;
  plan: string | null;
  costPreference: 'cost' | 'balanced' | 'quality';
  matchedRule: string;
  target: string;
}
