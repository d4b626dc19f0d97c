import { PlatformError } from '../../errors/index.ts';
import type { BudgetScope } from '../limits/limits-types.ts';

/** Coded errors of budget administration. */
export const budgetErrors = {
  alreadyExists(scope: BudgetScope, subject: string): PlatformError {
    return new PlatformError({
      code: 'BUDGET_ALREADY_EXISTS',
      message: `There is already a ${scope} budget for '${subject}'.`,
      param: 'subject',
      hint: 'Change that budget with PATCH, or delete it first.',
      status: 409,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
};
