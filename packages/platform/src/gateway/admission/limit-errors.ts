import { PlatformError } from '../../errors/index.ts';

/** Refusals of the platform's own limits; each names the limit and how to get past it. */
export const limitErrors = {
  budgetExceeded(message: string, hint: string, retryAfterMs?: number): PlatformError {
    return new PlatformError({
      code: 'BUDGET_EXCEEDED',
      message,
      hint,
      status: 402,
      category: 'user',
      type: 'insufficient_quota',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  },
  rateLimited(
    message: string,
    hint: string,
    retryAfterMs: number,
    param: string | null = null,
  ): PlatformError {
    return new PlatformError({
      code: 'RATE_LIMIT_EXCEEDED',
      message,
      hint,
      param,
      status: 429,
      category: 'user',
      type: 'rate_limit_error',
      retryAfterMs,
    });
  },
  concurrencyLimited(message: string, hint: string): PlatformError {
    return new PlatformError({
      code: 'CONCURRENCY_LIMIT_EXCEEDED',
      message,
      hint,
      status: 429,
      category: 'user',
      type: 'rate_limit_error',
      retryAfterMs: 1000,
    });
  },
  quotaExceeded(message: string, hint: string, retryAfterMs: number): PlatformError {
    return new PlatformError({
      code: 'QUOTA_EXCEEDED',
      message,
      hint,
      status: 429,
      category: 'user',
      type: 'insufficient_quota',
      retryAfterMs,
    });
  },
  modelNotInPlan(model: string, planName: string, hint: string): PlatformError {
    return new PlatformError({
      code: 'MODEL_NOT_IN_PLAN',
      message: `The model '${model}' is not included in the ${planName} plan.`,
      param: 'model',
      hint,
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
};
