import { createSwarmRequestSchema, readRunEvents, type SwarmEvent } from '../../agents/index.ts';
import { errors } from '../../errors/index.ts';
import {
  documentBulkSchema,
  type KnowledgeCall,
  knowledgeBaseCreateSchema,
  knowledgeBaseUpdateSchema,
  listQuerySchema,
  maximumUploadWaitSeconds,
  type Platform,
  searchRequestSchema,
} from '../../platform/index.ts';
import { listEnvelope } from '../admin/index.ts';
import {
  auditFiltersOf,
  auditListQuerySchema,
  serializeAuditEntry,
  serializeVerification,
} from '../audit/index.ts';
import { usageQuerySchema } from '../operations/index.ts';
import { approvalSchema, serializeRun, serializeRunSummary, swarmListQuerySchema } from '../swarms/index.ts';
import { parseArguments, parseInput } from './field-names.ts';
import { type GraphQLContext, guard, limitOf } from './graphql-context.ts';

type Source = { id: string };
type Input = { input: Record<string, unknown> };
type PageArguments = { limit: number; after?: string | null };

const callOf = (context: GraphQLContext): KnowledgeCall => ({
  requestId: context.requestId,
  startedAt: context.startedAt,
  signal: context.signal,
});

/** One event as the SSE and WebSocket streams of REST carry it (camelCase). */
export function swarmEventPayload(runId: string, event: SwarmEvent) {
  return {
    runId,
    sequence: event.sequence,
    type: event.type,
    data: event.data,
    createdAt: event.createdAt.toISOString(),
  };
}

/** The usage report as GET /v1/usage answers it. */
export async function usageReport(
  platform: Platform,
  context: GraphQLContext,
  args: { from?: string | null; to?: string | null; groupBy?: string | null },
) {
  guard(context, 'usage:read', 'read usage', context.caller.organizationId);
  const query = parseArguments(usageQuerySchema, args);
  const report = await platform.usage.report(context.caller, {
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
    groupBy: query.group_by,
  });
  return {
    organizationId: report.organizationId,
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    groupBy: report.groupBy,
    data: report.rows,
    totals: report.totals,
  };
}

/** A run's detail field: present on a run read in full, else read once per operation. */
function detailField(
  platform: Platform,
  field: 'plan' | 'agents' | 'run_steps' | 'pending_approvals' | 'result',
) {
  return async (source: Record<string, unknown> & Source, _args: unknown, context: GraphQLContext) => {
    if (field in source) return source[field];
    const { run, steps } = await viewOf(platform, context, source.id);
    return serializeRun(run, steps)[field];
  };
}

/** A run as the caller reads it, once per operation. */
function viewOf(platform: Platform, context: GraphQLContext, runId: string) {
  let view = context.swarmViews.get(runId);
  if (!view) {
    view = platform.swarms.readRun(context.caller, runId);
    context.swarmViews.set(runId, view);
  }
  return view;
}

/**
 * Usage, swarms, knowledge bases and the audit log: each resolver checks the REST route's
 * permission and calls the service the route calls, validating with the route's schema.
 */
export function operationResolvers(platform: Platform) {
  const { swarms: runtime, knowledge, audit } = platform;
  return {
    Query: {
      usage: (_source: unknown, args: Record<string, string | null>, context: GraphQLContext) =>
        usageReport(platform, context, args),
      swarms: async (
        _source: unknown,
        args: PageArguments & { status?: string | null },
        context: GraphQLContext,
      ) => {
        guard(context, 'swarms:read', 'list swarm runs', context.caller.organizationId);
        const query = parseArguments(swarmListQuerySchema, args);
        const runs = await runtime.listRuns(context.caller, {
          limit: query.limit + 1,
          ...(query.status ? { status: query.status } : {}),
          ...(query.after ? { after: query.after } : {}),
        });
        const data = runs.slice(0, query.limit);
        const hasMore = runs.length > query.limit;
        return {
          data: data.map(serializeRunSummary),
          hasMore,
          nextCursor: hasMore ? (data.at(-1)?.id ?? null) : null,
        };
      },
      swarm: async (_source: unknown, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'swarms:read', 'read swarm runs', context.caller.organizationId);
        const view = runtime.readRun(context.caller, args.id);
        context.swarmViews.set(args.id, view);
        const { run, steps } = await view;
        return serializeRun(run, steps);
      },
      knowledgeBases: async (_source: unknown, args: PageArguments, context: GraphQLContext) => {
        guard(context, 'knowledge:read', 'list knowledge bases', context.caller.organizationId);
        return knowledge.list(context.caller, parseArguments(listQuerySchema, args));
      },
      knowledgeBase: async (_source: unknown, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'knowledge:read', 'read knowledge bases', context.caller.organizationId);
        return knowledge.retrieve(context.caller, args.id);
      },
      auditEntries: async (
        _source: unknown,
        args: PageArguments & { filter?: Record<string, unknown> | null },
        context: GraphQLContext,
      ) => {
        guard(context, 'audit:read', 'read the audit log');
        const query = parseArguments(auditListQuerySchema, {
          ...(args.filter ?? {}),
          limit: args.limit,
          after: args.after,
        });
        const entries = await audit.list(context.caller, auditFiltersOf(query), {
          limit: query.limit + 1,
          ...(query.after ? { after: query.after } : {}),
        });
        return listEnvelope(entries.map(serializeAuditEntry), query.limit);
      },
      auditVerification: async (
        _source: unknown,
        args: { organizationId?: string | null },
        context: GraphQLContext,
      ) => {
        guard(context, 'audit:read', 'verify the audit log');
        const verification = await audit.verify(
          context.caller,
          args.organizationId ? { organizationId: args.organizationId } : {},
        );
        return serializeVerification(verification);
      },
    },
    SwarmRun: {
      plan: detailField(platform, 'plan'),
      agents: detailField(platform, 'agents'),
      runSteps: detailField(platform, 'run_steps'),
      pendingApprovals: detailField(platform, 'pending_approvals'),
      result: detailField(platform, 'result'),
      events: async (source: Source, args: { after: number; limit: number }, context: GraphQLContext) => {
        guard(context, 'swarms:read', 'read swarm events', context.caller.organizationId);
        // The run is read as the caller's (once per operation), so no path skips the check.
        await viewOf(platform, context, source.id);
        if (!Number.isInteger(args.after) || args.after < 0) {
          throw errors.invalidRequest(
            'after',
            "Invalid value for 'after': it must be a sequence number (0 or more).",
          );
        }
        const events = await readRunEvents(
          platform.swarms.database,
          source.id,
          args.after,
          limitOf(args.limit, 1000),
        );
        return events.map((event) => swarmEventPayload(source.id, event));
      },
    },
    KnowledgeBase: {
      documents: async (source: Source, args: PageArguments, context: GraphQLContext) => {
        guard(context, 'knowledge:read', 'list documents', context.caller.organizationId);
        return knowledge.listDocuments(context.caller, source.id, parseArguments(listQuerySchema, args));
      },
      document: async (source: Source, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'knowledge:read', 'read documents', context.caller.organizationId);
        return knowledge.retrieveDocument(context.caller, source.id, args.id);
      },
      search: async (source: Source, args: Record<string, unknown>, context: GraphQLContext) => {
        guard(context, 'knowledge:read', 'search knowledge bases', context.caller.organizationId);
        const request = parseArguments(searchRequestSchema, args);
        return knowledge.search(context.caller, callOf(context), source.id, request);
      },
    },
    Mutation: {
      createSwarm: async (_source: unknown, args: Input, context: GraphQLContext) => {
        guard(context, 'swarms:write', 'start swarm runs', context.caller.organizationId);
        const body = parseInput(createSwarmRequestSchema, args.input, 'input');
        return serializeRunSummary(await runtime.createRun(context.caller, body));
      },
      cancelSwarm: async (_source: unknown, args: { id: string }, context: GraphQLContext) => {
        guard(context, 'swarms:write', 'cancel swarm runs', context.caller.organizationId);
        return serializeRunSummary(await runtime.cancelRun(context.caller, args.id));
      },
      decideSwarmApproval: async (
        _source: unknown,
        args: { id: string; stepId: string; decision: string; reason?: string | null },
        context: GraphQLContext,
      ) => {
        guard(context, 'swarms:write', 'approve swarm steps', context.caller.organizationId);
        const body = parseArguments(approvalSchema, {
          stepId: args.stepId,
          decision: args.decision,
          reason: args.reason,
        });
        return serializeRunSummary(
          await runtime.decideApproval(context.caller, args.id, {
            stepId: body.step_id,
            accept: body.decision === 'accept',
            reason: body.reason ?? null,
          }),
        );
      },
      createKnowledgeBase: async (_source: unknown, args: Input, context: GraphQLContext) => {
        guard(context, 'knowledge:write', 'create knowledge bases', context.caller.organizationId);
        const body = parseInput(knowledgeBaseCreateSchema, args.input, 'input');
        return knowledge.create(context.caller, callOf(context), body);
      },
      updateKnowledgeBase: async (_source: unknown, args: Input & Source, context: GraphQLContext) => {
        guard(context, 'knowledge:write', 'change knowledge bases', context.caller.organizationId);
        const change = parseInput(knowledgeBaseUpdateSchema, args.input, 'input');
        return knowledge.update(context.caller, args.id, change);
      },
      deleteKnowledgeBase: async (_source: unknown, args: Source, context: GraphQLContext) => {
        guard(context, 'knowledge:write', 'delete knowledge bases', context.caller.organizationId);
        return knowledge.remove(context.caller, args.id);
      },
      addKnowledgeDocuments: async (
        _source: unknown,
        args: Source & { documents: Record<string, unknown>[]; waitSeconds: number },
        context: GraphQLContext,
      ) => {
        guard(context, 'knowledge:write', 'upload documents', context.caller.organizationId);
        if (
          !Number.isInteger(args.waitSeconds) ||
          args.waitSeconds < 0 ||
          args.waitSeconds > maximumUploadWaitSeconds
        ) {
          throw errors.invalidRequest(
            'waitSeconds',
            `Invalid value for 'waitSeconds': it must be an integer from 0 to ${maximumUploadWaitSeconds}.`,
          );
        }
        const body = parseArguments(documentBulkSchema, { documents: args.documents });
        return knowledge.addDocuments(context.caller, callOf(context), args.id, body.documents, {
          waitSeconds: args.waitSeconds,
          bulk: true,
        });
      },
      deleteKnowledgeDocument: async (
        _source: unknown,
        args: Source & { documentId: string },
        context: GraphQLContext,
      ) => {
        guard(context, 'knowledge:write', 'delete documents', context.caller.organizationId);
        return knowledge.removeDocument(context.caller, args.id, args.documentId);
      },
    },
  };
}
