import type { FastifyInstance } from 'fastify';
import type { PlanAndBudgetServices } from '../../platform/index.ts';
import { registerAdminBudgetRoutes } from './admin-budget-routes.ts';
import { registerAdminPlanRoutes } from './admin-plan-routes.ts';
import { registerAdminRateLimitRoutes } from './admin-rate-limit-routes.ts';
import { registerAdminWebhookRoutes } from './admin-webhook-routes.ts';

/** Registers plans, organisation plans, rate limits, budgets, budget alerts and webhooks (authenticated scope). */
export function registerPlanAndBudgetRoutes(app: FastifyInstance, services: PlanAndBudgetServices): void {
  registerAdminPlanRoutes(app, services.plans);
  registerAdminRateLimitRoutes(app, services.rateLimits);
  registerAdminBudgetRoutes(app, services.budgets);
  registerAdminWebhookRoutes(app, services.webhooks);
}
