import type { ConfigFile } from '../config/index.ts';
import type { PriceTable } from '../metering/index.ts';
import type { CircuitBreakerSettings, CircuitBreakers } from '../resilience/index.ts';
import {
  createCallDeadline,
  createCircuitBreakers,
  createRetryBudget,
  createUpstreamLimiter,
  isRetryableError,
  retryDelayMs,
} from '../resilience/index.ts';
import type { RoutingConfig } from '../routing/index.ts';
import {
  createDeploymentStats,
  createRouter,
  type DeploymentStats,
  type ModelCatalog,
  type Router,
} from '../routing/index.ts';
import type { KeyValueStore } from '../storage/kv/index.ts';
import type { Clock, RandomSource } from '../support/index.ts';
import type { Tracing } from '../telemetry/index.ts';
import type { DeploymentPolicy } from './attempt-loop.ts';
import type { GatewayRouting } from './route-request.ts';

/** Per-deployment settings: `routing.deployments.<id>` over `routing.defaults`. */
export function policyFor(config: RoutingConfig, deployment: string): DeploymentPolicy {
  const own = config.deployments[deployment];
  const retry = { ...config.defaults.retry, ...own?.retry };
  const timeouts = { ...config.defaults.timeouts, ...own?.timeouts };
  return {
    retry: {
      maxAttempts: retry.max_attempts,
      baseDelayMs: retry.base_delay_ms,
      maxDelayMs: retry.max_delay_ms,
    },
    firstTokenMs: timeouts.first_token_ms,
    totalMs: timeouts.total_ms,
    quota: {
      ...(own?.rpm === undefined ? {} : { requestsPerMinute: own.rpm }),
      ...(own?.tpm === undefined ? {} : { tokensPerMinute: own.tpm }),
    },
  };
}

function breakerSettings(config: RoutingConfig): CircuitBreakerSettings {
  const breaker = config.defaults.breaker;
  return {
    windowMs: breaker.window_ms,
    minimumRequests: breaker.minimum_requests,
    failureRatio: breaker.failure_ratio,
    cooldownMs: breaker.cooldown_ms,
    halfOpenProbes: breaker.half_open_probes,
  };
}

export interface RoutingRuntime {
  /** The routing the gateway uses now; replaced atomically by `configure`. */
  current(): GatewayRouting & { router: Router };
  /** Builds a router for a new config (start-up and hot reload); state survives. Throws on a bad config. */
  configure(config: ConfigFile, catalog: ModelCatalog, prices: PriceTable): void;
  readonly stats: DeploymentStats;
  readonly breakers: CircuitBreakers;
  close(): Promise<void>;
}

/**
 * Routing plus the resilience state that must outlive a config reload: breakers (shared across
 * replicas through the kv port), latency statistics, upstream quota buckets and the retry budget.
 */
export function createRoutingRuntime(options: {
  keyValueStore: KeyValueStore;
  clock: Clock;
  random: RandomSource;
  onWarning: (message: string) => void;
  /** Told the outcome of every provider call (metrics). */
  onCall?: (deployment: string, ok: boolean) => void;
  /** A span per routing attempt. */
  tracing?: Tracing;
}): RoutingRuntime {
  const { clock, random } = options;
  let config: RoutingConfig | undefined;
  let active: (GatewayRouting & { router: Router }) | undefined;
  const stats = createDeploymentStats({ clock });
  const limiter = createUpstreamLimiter(clock);
  const breakers = createCircuitBreakers({
    settingsFor: () => breakerSettings(config!),
    clock,
    keyValueStore: options.keyValueStore,
    onError: (error, { deployment, operation }) =>
      options.onWarning(`circuit breaker ${operation} for ${deployment} failed: ${(error as Error).message}`),
  });
  let retryBudget = createRetryBudget({ ratio: 0.2, minimumPerSecond: 10, windowMs: 10_000 }, clock);

  return {
    stats,
    breakers,
    current() {
      if (!active) throw new Error('routing is not configured');
      return active;
    },
    configure(file, catalog, prices) {
      const routing = file.routing;
      const router = createRouter({
        catalog,
        config: routing,
        prices,
        stats,
        random,
        onConfigWarning: options.onWarning,
      });
      const budget = routing.defaults.retry_budget;
      if (!config || JSON.stringify(config.defaults.retry_budget) !== JSON.stringify(budget)) {
        retryBudget = createRetryBudget(
          { ratio: budget.ratio, minimumPerSecond: budget.minimum_per_second, windowMs: budget.window_ms },
          clock,
        );
      }
      config = routing;
      const attempts = {
        breakers,
        limiter,
        retryBudget,
        clock,
        random,
        policyFor: (deployment: string) => policyFor(routing, deployment),
        retryDelayMs,
        isRetryable: isRetryableError,
        createDeadline: createCallDeadline,
        observe: (deployment: string) => {
          const handle = stats.begin(deployment);
          return {
            end(outcome: { ok: boolean; latencyMs: number; callerFault?: boolean }) {
              // why: a fault the caller provoked must not steer anyone else's routing.
              if (outcome.callerFault === true) handle.discard();
              else handle.end(outcome);
              options.onCall?.(deployment, outcome.ok);
            },
          };
        },
        callerFaultScopes: file.providers.sim.fault_directives,
        ...(options.tracing ? { tracing: options.tracing } : {}),
      };
      active = {
        router,
        plan: (input) => router.plan(input),
        expandGroup: (group, size) => router.expandGroup(group, size),
        attempts,
      };
    },
    async close() {
      await breakers.close();
    },
  };
}
