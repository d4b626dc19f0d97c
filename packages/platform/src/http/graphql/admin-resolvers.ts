import { effectivePermissions } from '../../identity/index.ts';
import { planFieldsSchema, planIdSchema } from '../../metering/plans/index.ts';
import type { BudgetView, Platform } from '../../platform/index.ts';
import {
  changeBudgetSchema,
  createBudgetSchema,
  createInvitationSchema,
  createKeySchema,
  createOrganizationSchema,
  createTeamSchema,
  listEnvelope,
  organizationPlanSchema,
  roleChangeSchema,
  rotateKeySchema,
  serializeApiKey,
  serializeBudget,
  serializeBudgetAlert,
  serializeInvitation,
  serializeMember,
  serializeOrganization,
  serializePlan,
  serializeTeam,
  updateTeamSchema,
} from '../admin/index.ts';
import { parseWith } from '../parse-body.ts';
import { parseArguments, parseInput } from './field-names.ts';
import { type GraphQLContext, guard, limitOf } from './graphql-context.ts';

type Source = { id: string };
type PageArguments = { limit: number; after?: string | null };
type Input = { input: Record<string, unknown> };

const present = (view: BudgetView) => serializeBudget(view.budget, view);
/** The admin lists' page sizes: 1 to 1000, as REST. */
const pageRequest = (args: PageArguments) => ({
  limit: limitOf(args.limit, 1000) + 1,
  ...(args.after ? { after: args.after } : {}),
});
const deletion = (id: string, object: string) => ({ id, object, deleted: true });

/**
 * Organisations, people, keys, plans and budgets: each resolver checks the REST route's
 * permission, calls the service the route calls and answers the REST serializer's object.
 */
export function adminResolvers(platform: Platform) {
  const { organizations, apiKeys, members, teams, invitations, plans, budgets } = platform.administration;
  return {
    Query: {
      viewer: (_source: unknown, _args: unknown, context: GraphQLContext) => ({
        ...context.caller,
        permissions: effectivePermissions(context.caller),
      }),
      organization: async (_source: unknown, args: { id?: string | null }, context: GraphQLContext) => {
        const organizationId = args.id ?? context.caller.organizationId;
        guard(context, 'admin:organization', 'read the organization', organizationId);
        return serializeOrganization(await organizations.get(context.caller, organizationId));
      },
      organizations: async (_source: unknown, args: PageArguments, context: GraphQLContext) => {
        guard(context, 'platform:organizations', 'list organizations');
        const found = await organizations.list(context.caller, pageRequest(args));
        return listEnvelope(found.map(serializeOrganization), args.limit);
      },
      plans: async (_source: unknown, _args: unknown, context: GraphQLContext) => {
        guard(context, 'admin:organization', 'list plans');
        return (await plans.list(context.caller)).map(serializePlan);
      },
      plan: async (_source: unknown, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'admin:organization', 'read a plan');
        return serializePlan(await plans.get(context.caller, parseWith(planIdSchema, args.id)));
      },
    },
    Organization: {
      plan: async (source: Source, _args: unknown, context: GraphQLContext) => {
        guard(context, 'admin:organization', "read the organization's plan", source.id);
        const view = await plans.organizationPlan(context.caller, source.id);
        return {
          organizationId: view.organizationId,
          plan: view.plan ? serializePlan(view.plan) : null,
          monthlyRequestsUsed: view.monthlyRequestsUsed,
          quotaPeriod: {
            start: view.quotaPeriod.start.toISOString(),
            resetsAt: view.quotaPeriod.resetsAt.toISOString(),
          },
        };
      },
      keys: async (
        source: Source,
        args: PageArguments & { includeRevoked: boolean },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:keys', 'list API keys', source.id);
        const found = await apiKeys.list(context.caller, source.id, {
          ...pageRequest(args),
          includeRevoked: args.includeRevoked,
        });
        return listEnvelope(found.map(serializeApiKey), args.limit);
      },
      key: async (source: Source, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'admin:keys', 'read an API key', source.id);
        return serializeApiKey(await apiKeys.get(context.caller, source.id, args.id));
      },
      members: async (source: Source, args: PageArguments, context: GraphQLContext) => {
        guard(context, 'admin:members', 'list members', source.id);
        const found = await members.list(context.caller, source.id, pageRequest(args));
        return listEnvelope(found.map(serializeMember), args.limit);
      },
      member: async (source: Source, args: { userId: string }, context: GraphQLContext) => {
        guard(context, 'admin:members', 'read a member', source.id);
        return serializeMember(await members.get(context.caller, source.id, args.userId));
      },
      teams: async (source: Source, args: PageArguments, context: GraphQLContext) => {
        guard(context, 'admin:members', 'list teams', source.id);
        const found = await teams.list(context.caller, source.id, pageRequest(args));
        return listEnvelope(found.map(serializeTeam), args.limit);
      },
      team: async (source: Source, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'admin:members', 'read a team', source.id);
        return serializeTeam(await teams.get(context.caller, source.id, args.id));
      },
      invitations: async (source: Source, args: PageArguments, context: GraphQLContext) => {
        guard(context, 'admin:members', 'list invitations', source.id);
        const found = await invitations.list(context.caller, source.id, pageRequest(args));
        return listEnvelope(found.map(serializeInvitation), args.limit);
      },
      budgets: async (
        source: Source,
        args: PageArguments & { scope?: 'organization' | 'team' | 'api_key' | 'end_user' | null },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:budgets', 'list budgets', source.id);
        const found = await budgets.list(context.caller, source.id, {
          ...pageRequest(args),
          ...(args.scope ? { scope: args.scope } : {}),
        });
        return listEnvelope(found.map(present), args.limit);
      },
      budget: async (source: Source, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'admin:budgets', 'read a budget', source.id);
        return present(await budgets.get(context.caller, source.id, args.id));
      },
      budgetAlerts: async (
        source: Source,
        args: { limit: number; budgetId?: string | null },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:budgets', 'list budget alerts', source.id);
        const alerts = await budgets.alerts(context.caller, source.id, {
          limit: limitOf(args.limit, 1000),
          ...(args.budgetId ? { budgetId: args.budgetId } : {}),
        });
        return alerts.map(serializeBudgetAlert);
      },
    },
    Mutation: {
      createOrganization: async (_source: unknown, args: Input, context: GraphQLContext) => {
        guard(context, 'platform:organizations', 'create organizations');
        const body = parseInput(createOrganizationSchema, args.input, 'input');
        return serializeOrganization(
          await organizations.create(context.caller, {
            name: body.name,
            ...(body.metadata ? { metadata: body.metadata } : {}),
            ...(body.plan !== undefined ? { plan: body.plan } : {}),
          }),
        );
      },
      disableOrganization: async (_source: unknown, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'platform:organizations', 'disable organizations');
        return serializeOrganization(await organizations.disable(context.caller, args.id));
      },
      createApiKey: async (
        _source: unknown,
        args: Input & { organizationId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:keys', 'create API keys', args.organizationId);
        const body = parseInput(createKeySchema, args.input, 'input');
        const { apiKey, secret } = await apiKeys.create(context.caller, args.organizationId, {
          name: body.name,
          role: body.role,
          scopes: body.scopes ?? null,
          teamId: body.team_id ?? null,
          allowedModels: body.allowed_models ?? null,
          expiresAt: body.expires_at ? new Date(body.expires_at) : null,
          ...(body.metadata ? { metadata: body.metadata } : {}),
        });
        return { apiKey: serializeApiKey(apiKey), secret };
      },
      rotateApiKey: async (
        _source: unknown,
        args: { organizationId: string; keyId: string; gracePeriodSeconds: number },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:keys', 'rotate API keys', args.organizationId);
        const body = parseArguments(rotateKeySchema, { gracePeriodSeconds: args.gracePeriodSeconds });
        const rotated = await apiKeys.rotate(
          context.caller,
          args.organizationId,
          args.keyId,
          body.grace_period_seconds,
        );
        return {
          apiKey: serializeApiKey(rotated.apiKey),
          secret: rotated.secret,
          previousSecretValidUntil: rotated.previousSecretValidUntil.toISOString(),
        };
      },
      revokeApiKey: async (
        _source: unknown,
        args: { organizationId: string; keyId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:keys', 'revoke API keys', args.organizationId);
        return serializeApiKey(await apiKeys.revoke(context.caller, args.organizationId, args.keyId));
      },
      setMemberRole: async (
        _source: unknown,
        args: { organizationId: string; userId: string; role: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'change roles', args.organizationId);
        const body = parseArguments(roleChangeSchema, { role: args.role });
        return serializeMember(
          await members.setRole(context.caller, args.organizationId, args.userId, body.role),
        );
      },
      removeMember: async (
        _source: unknown,
        args: { organizationId: string; userId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'remove members', args.organizationId);
        await members.remove(context.caller, args.organizationId, args.userId);
        return deletion(args.userId, 'organization.member.deleted');
      },
      createTeam: async (
        _source: unknown,
        args: Input & { organizationId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'create teams', args.organizationId);
        const body = parseInput(createTeamSchema, args.input, 'input');
        return serializeTeam(await teams.create(context.caller, args.organizationId, body));
      },
      updateTeam: async (
        _source: unknown,
        args: Input & { organizationId: string; teamId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'change teams', args.organizationId);
        const body = parseInput(updateTeamSchema, args.input, 'input');
        return serializeTeam(
          await teams.update(context.caller, args.organizationId, args.teamId, {
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
          }),
        );
      },
      deleteTeam: async (
        _source: unknown,
        args: { organizationId: string; teamId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'delete teams', args.organizationId);
        await teams.delete(context.caller, args.organizationId, args.teamId);
        return deletion(args.teamId, 'team.deleted');
      },
      addTeamMember: async (
        _source: unknown,
        args: { organizationId: string; teamId: string; userId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'change teams', args.organizationId);
        return serializeTeam(
          await teams.addMember(context.caller, args.organizationId, args.teamId, args.userId),
        );
      },
      removeTeamMember: async (
        _source: unknown,
        args: { organizationId: string; teamId: string; userId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'change teams', args.organizationId);
        return serializeTeam(
          await teams.removeMember(context.caller, args.organizationId, args.teamId, args.userId),
        );
      },
      createInvitation: async (
        _source: unknown,
        args: Input & { organizationId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'invite people', args.organizationId);
        const body = parseInput(createInvitationSchema, args.input, 'input');
        const issued = await invitations.create(context.caller, args.organizationId, {
          email: body.email,
          role: body.role,
          teamId: body.team_id ?? null,
          ...(body.expires_in_hours ? { ttlHours: body.expires_in_hours } : {}),
        });
        return {
          invitation: serializeInvitation(issued.invitation),
          token: issued.token,
          acceptUrl: issued.acceptUrl,
          webhookDelivered: issued.delivered,
        };
      },
      revokeInvitation: async (
        _source: unknown,
        args: { organizationId: string; invitationId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:members', 'revoke invitations', args.organizationId);
        return serializeInvitation(
          await invitations.revoke(context.caller, args.organizationId, args.invitationId),
        );
      },
      createBudget: async (
        _source: unknown,
        args: Input & { organizationId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:budgets', 'create budgets', args.organizationId);
        const body = parseInput(createBudgetSchema, args.input, 'input');
        const view = await budgets.create(context.caller, args.organizationId, {
          scope: body.scope,
          ...(body.subject === undefined ? {} : { subject: body.subject }),
          limitUsd: body.limit_usd,
          period: body.period,
          ...(body.alert_thresholds ? { alertThresholds: body.alert_thresholds } : {}),
        });
        return present(view);
      },
      updateBudget: async (
        _source: unknown,
        args: Input & { organizationId: string; budgetId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:budgets', 'change budgets', args.organizationId);
        const body = parseInput(changeBudgetSchema, args.input, 'input');
        const view = await budgets.update(context.caller, args.organizationId, args.budgetId, {
          ...(body.limit_usd ? { limitUsd: body.limit_usd } : {}),
          ...(body.period ? { period: body.period } : {}),
          ...(body.alert_thresholds ? { alertThresholds: body.alert_thresholds } : {}),
        });
        return present(view);
      },
      deleteBudget: async (
        _source: unknown,
        args: { organizationId: string; budgetId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'admin:budgets', 'delete budgets', args.organizationId);
        await budgets.delete(context.caller, args.organizationId, args.budgetId);
        return deletion(args.budgetId, 'budget.deleted');
      },
      putPlan: async (_source: unknown, args: { id: string; fields: unknown }, context: GraphQLContext) => {
        guard(context, 'platform:plans', 'change plans');
        const planId = parseWith(planIdSchema, args.id);
        const fields = parseWith(planFieldsSchema, args.fields);
        return serializePlan((await plans.put(context.caller, planId, fields)).plan);
      },
      deletePlan: async (_source: unknown, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'platform:plans', 'delete plans');
        const planId = parseWith(planIdSchema, args.id);
        await plans.delete(context.caller, planId);
        return deletion(planId, 'plan.deleted');
      },
      setOrganizationPlan: async (
        _source: unknown,
        args: { organizationId: string; plan?: string | null },
        context: GraphQLContext,
      ) => {
        guard(context, 'platform:plans', "change an organization's plan");
        const body = parseInput(organizationPlanSchema, { plan: args.plan ?? null }, '');
        const { organization } = await plans.setOrganizationPlan(
          context.caller,
          args.organizationId,
          body.plan,
        );
        return serializeOrganization(organization);
      },
    },
  };
}
