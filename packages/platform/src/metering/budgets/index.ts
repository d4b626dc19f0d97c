export { type AlertDelivery, type AlertDeliveryOptions, startAlertDelivery } from './alert-delivery.ts';
export { type BudgetThresholdEvent, toThresholdEvent } from './alert-event.ts';
export {
  type AlertDeliveryJob,
  alertDeliveryQueue,
  alertEventId,
  type BudgetAlert,
  type BudgetAlertChecker,
  type CheckBudgetAlertsInput,
  checkBudgetAlerts,
  createBudgetAlertChecker,
  crossedThresholds,
  defaultDeliveryRetry,
  deliveryJobId,
  listBudgetAlerts,
} from './budget-alerts.ts';
export {
  type BudgetRequest,
  budgetsForRequest,
  isPlanBudgetId,
  planBudgetId,
  toBudgetCounter,
} from './budget-counters.ts';
export {
  type BudgetDirectory,
  budgetsChangedChannel,
  createBudgetDirectory,
  everyOrganization,
} from './budget-directory.ts';
export { budgetErrors } from './budget-errors.ts';
export {
  type BudgetPeriodWindow,
  currentPeriod,
  periodStartOfKey,
  totalPeriodStart,
} from './budget-period.ts';
export {
  assertBudgetSubject,
  createBudget,
  deleteBudget,
  findBudget,
  ledgerLevelOf,
  listBudgets,
  maximumEndUserLength,
  updateBudget,
} from './budget-repository.ts';
export {
  type Budget,
  type BudgetChange,
  defaultAlertThresholds,
  type NewBudgetInput,
} from './budget-types.ts';
export { type BudgetSubject, durableSpendNanoUsd } from './durable-spend.ts';
export {
  deleteWebhook,
  findWebhook,
  loadWebhookTarget,
  newWebhookSecret,
  putWebhook,
  type WebhookSummary,
} from './webhook-repository.ts';
export {
  defaultSignatureToleranceSeconds,
  signWebhookPayload,
  verifyWebhookSignature,
  webhookSignatureHeader,
} from './webhook-signature.ts';
export { type WebhookUrlPolicy, webhookUrlProblem } from './webhook-url.ts';
