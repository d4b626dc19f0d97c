import type { FastifyInstance } from 'fastify';
import { registerAdminBudgetRoutes } from './admin-budget-routes.ts';
import { registerAdminPlanRoutes } from './admin-plan-routes.ts';
import { registerAdminRateLimitRoutes } from './admin-rate-limit-routes.ts';
import { registerAdminWebhookRoutes } from './admin-webhook-routes.ts';
import type { PlanAndBudgetRouteContext } from './plan-budget-route-context.ts';

/** Registers plans, organisation plans, rate limits, budgets, budget alerts and webhooks (authenticated scope). */
export function registerPlanAndBudgetRoutes(app: FastifyInstance, context: PlanAndBudgetRouteContext): void {
  registerAdminPlanRoutes(app, context);
  registerAdminRateLimitRoutes(app, context);
  registerAdminBudgetRoutes(app, context);
  registerAdminWebhookRoutes(app, context);
}
