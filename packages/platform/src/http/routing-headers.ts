import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../errors/index.ts';
import type { RouteInfo } from '../gateway/index.ts';
import type { CostPreference } from '../routing/index.ts';

/** `x-kimi-route`, `x-kimi-attempts` and, when it fell back, `x-kimi-fallback-reason`. */
export function routeHeaders(route: RouteInfo): Record<string, string> {
  return {
    'x-kimi-route': route.deployment,
    'x-kimi-attempts': String(route.attempts),
    ...(route.fallbackReason ? { 'x-kimi-fallback-reason': route.fallbackReason } : {}),
  };
}

export function setRouteHeaders(reply: FastifyReply, route: RouteInfo): void {
  for (const [name, value] of Object.entries(routeHeaders(route))) reply.header(name, value);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The routing hints a request may carry: `x-kimi-timeout-ms` and `x-kimi-cost-preference`. */
export function routingHints(request: FastifyRequest): {
  timeoutMs?: number;
  costPreference?: CostPreference;
} {
  const hints: { timeoutMs?: number; costPreference?: CostPreference } = {};
  const timeout = header(request, 'x-kimi-timeout-ms');
  if (timeout !== undefined) {
    const value = Number(timeout);
    if (!Number.isInteger(value) || value < 1 || value > 3_600_000) {
      throw errors.invalidRequest(
        'x-kimi-timeout-ms',
        "The header 'x-kimi-timeout-ms' must be a whole number of milliseconds from 1 to 3600000.",
      );
    }
    hints.timeoutMs = value;
  }
  const preference = header(request, 'x-kimi-cost-preference');
  if (preference !== undefined) {
    if (preference !== 'cost' && preference !== 'balanced' && preference !== 'quality') {
      throw errors.invalidRequest(
        'x-kimi-cost-preference',
        "The header 'x-kimi-cost-preference' must be 'cost', 'balanced' or 'quality'.",
      );
    }
    hints.costPreference = preference;
  }
  return hints;
}
