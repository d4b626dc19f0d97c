import { errors, PlatformError } from '../../errors/index.ts';

/** Coded errors of plan administration; each names the field at fault. */
export const planErrors = {
  unknownPlan(id: string, known: readonly string[]): PlatformError {
    return errors.invalidRequest(
      'plan',
      `There is no plan '${id}'.`,
      `Use one of: ${known.join(', ')} (GET /v1/admin/plans), or create it with PUT /v1/admin/plans/{id}.`,
    );
  },
  planInUse(id: string, organizations: number): PlatformError {
    return new PlatformError({
      code: 'PLAN_IN_USE',
      message: `The plan '${id}' cannot be deleted: ${organizations} organization(s) are on it.`,
      param: 'id',
      hint: 'Move those organizations to another plan with PUT /v1/admin/organizations/{id}/plan first.',
      status: 409,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  builtInPlan(id: string): PlatformError {
    return errors.invalidRequest(
      'id',
      `The built-in plan '${id}' cannot be deleted.`,
      'Change it with PUT /v1/admin/plans/{id}, or stop assigning it; start-up would recreate it.',
    );
  },
};
