import { errors } from '../../errors/index.ts';
import { attributionOf, recordCrossOrganizationRead } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import { findPlan, listPlans, planErrors } from '../../metering/plans/index.ts';
import {
  type AuthContext,
  createOrganization,
  disableOrganization,
  findOrganization,
  listOrganizations,
  type Organization,
} from '../../tenancy/index.ts';
import type { AdministrationDependencies, PageRequest } from './administration-dependencies.ts';
import { organizationSummary } from './audit-summaries.ts';

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
  const { audit } = dependencies;
  return {
    async create(caller, input) {
      requirePermission(caller, 'platform:organizations', undefined, 'create organizations');
      const database = dependencies.database.forPlatform('create organizations');
      const planId = input.plan === undefined ? dependencies.defaultPlan() : input.plan;
      return database.transaction(async (transaction) => {
        if (planId !== null && !(await findPlan(transaction, planId))) {
          const known = (await listPlans(transaction)).map((plan) => plan.id);
          throw planErrors.unknownPlan(planId, known);
        }
        const organization = await createOrganization(transaction, {
          name: input.name,
          ...(input.metadata ? { metadata: input.metadata } : {}),
          planId,
        });
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: organization.id,
          action: 'organization.created',
          target: { type: 'organization', id: organization.id },
          before: null,
          after: organizationSummary(organization),
        });
        return organization;
      });
    },
    async list(caller, page) {
      requirePermission(caller, 'platform:organizations', undefined, 'list organizations');
      const database = dependencies.database.forPlatform('list organizations');
      const organizations = await listOrganizations(database, page);
      await recordCrossOrganizationRead(audit, dependencies.database, caller, 'organizations.list', {
        organizations: organizations.length,
      });
      return organizations;
    },
    async get(caller, organizationId) {
      requirePermission(caller, 'admin:organization', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const organization = await findOrganization(database, organizationId);
      if (!organization) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      return organization;
    },
    async disable(caller, organizationId) {
      requirePermission(caller, 'platform:organizations', undefined, 'disable organizations');
      const database = dependencies.database.forOrganization(organizationId);
      if (organizationId === caller.organizationId) {
        throw errors.invalidRequest(
          'organizationId',
          'The platform admin cannot disable its own organization.',
          'Disable other organizations only; this one holds the platform admin key.',
        );
      }
      const outcome = await database.transaction(async (transaction) => {
        const before = await findOrganization(transaction, organizationId);
        const disabled = await disableOrganization(transaction, organizationId);
        if (!before || !disabled) return null;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'organization.disabled',
          target: { type: 'organization', id: organizationId },
          before: { disabled_at: before.disabledAt },
          after: {
            disabled_at: disabled.organization.disabledAt,
            revoked_api_keys: disabled.revokedSecretHashes.length,
          },
        });
        return disabled;
      });
      if (!outcome) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      await dependencies.authenticator.announceChange(outcome.revokedSecretHashes);
      return outcome.organization;
    },
  };
}
