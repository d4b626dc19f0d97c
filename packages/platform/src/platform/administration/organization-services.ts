import { errors } from '../../errors/index.ts';
import { findPlan, listPlans, planErrors } from '../../metering/plans/index.ts';
import {
  type AuthContext,
  createOrganization,
  disableOrganization,
  findOrganization,
  listOrganizations,
  type Organization,
} from '../../tenancy/index.ts';
import { requireOrganizationAdministrator, requirePlatformAdministrator } from './access.ts';
import type { AdministrationDependencies, PageRequest } from './administration-dependencies.ts';

export interface OrganizationServices {
  /** `plan` omitted: the configured default plan; null: no plan (no quota, limit or model restriction). */
  create(
    caller: AuthContext,
    input: { name: string; metadata?: Record<string, unknown>; plan?: string | null },
  ): Promise<Organization>;
  /** `page.limit` rows at most, in id order. */
  list(caller: AuthContext, page: PageRequest): Promise<Organization[]>;
  get(caller: AuthContext, organizationId: string): Promise<Organization>;
  /** Disables the organisation and revokes its keys on every instance. */
  disable(caller: AuthContext, organizationId: string): Promise<Organization>;
}

export function createOrganizationServices(dependencies: AdministrationDependencies): OrganizationServices {
  const { database } = dependencies;
  return {
    async create(caller, input) {
      requirePlatformAdministrator(caller, 'create organizations');
      const planId = input.plan === undefined ? dependencies.defaultPlan() : input.plan;
      return database.transaction(async (transaction) => {
        if (planId !== null && !(await findPlan(transaction, planId))) {
          const known = (await listPlans(transaction)).map((plan) => plan.id);
          throw planErrors.unknownPlan(planId, known);
        }
        return createOrganization(transaction, {
          name: input.name,
          ...(input.metadata ? { metadata: input.metadata } : {}),
          planId,
        });
      });
    },
    async list(caller, page) {
      requirePlatformAdministrator(caller, 'list organizations');
      return listOrganizations(database, page);
    },
    async get(caller, organizationId) {
      requireOrganizationAdministrator(caller, organizationId);
      const organization = await findOrganization(database, organizationId);
      if (!organization) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      return organization;
    },
    async disable(caller, organizationId) {
      requirePlatformAdministrator(caller, 'disable organizations');
      if (organizationId === caller.organizationId) {
        throw errors.invalidRequest(
          'organizationId',
          'The platform admin cannot disable its own organization.',
          'Disable other organizations only; this one holds the platform admin key.',
        );
      }
      const outcome = await database.transaction((transaction) =>
        disableOrganization(transaction, organizationId),
      );
      if (!outcome) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      await dependencies.authenticator.announceChange(outcome.revokedSecretHashes);
      return outcome.organization;
    },
  };
}
