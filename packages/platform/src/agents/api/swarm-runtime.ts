import { randomBytes } from 'node:crypto';
import { errors } from '../../errors/index.ts';
import type { ChatGateway } from '../../gateway/index.ts';
import { describeUpgrade, findPlan, listPlans, suggestUpgrade } from '../../metering/plans/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { EventBus } from '../../storage/pubsub/index.ts';
import type { JobQueue, QueueWorker } from '../../storage/queue/index.ts';
import type { Clock } from '../../support/index.ts';
import { SpanKind, type Tracing } from '../../telemetry/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { finishRun } from '../runtime/finish-run.ts';
import { OrganizationSlots } from '../runtime/organization-slots.ts';
import type { ModelPricing } from '../runtime/run-context.ts';
import { executeRun, runControlChannel } from '../runtime/run-executor.ts';
import { appendEvents, runEventsChannel } from '../store/swarm-event-log.ts';
import type { SwarmObserver } from '../store/swarm-observer.ts';
import { SwarmRunStore } from '../store/swarm-run-store.ts';
import { SwarmStepStore } from '../store/swarm-step-store.ts';
import type { SwarmRunRecord, SwarmRunStatus, SwarmStepRecord } from '../swarm-types.ts';
import { terminalStatuses } from '../swarm-types.ts';
import type { TemplateResolver, ToolResolver } from '../tool-contract.ts';
import { idempotencyKeyReused, requestFingerprint } from './swarm-idempotency.ts';
import { type CreateSwarmRequest, type KnowledgeBaseCheck, specifyRun } from './swarm-request.ts';

/** The queue that carries run ids to workers. */
export const swarmQueueName = 'swarm-runs';

export interface SwarmRuntimeOptions {
  /** The planner's and synthesis's model, and agents' without their own. Default `sim/fast`. */
  defaultModel?: string;
  /** Most agents per run (`max_agents` above it is a 400). Default 100. */
  maximumAgents?: number;
  defaultTimeoutSeconds?: number;
  /** How long a worker's hold on a run lasts without a heartbeat. Default 10 s. */
  leaseMs?: number;
  /** Runs one process executes at once. Default 16. */
  workerConcurrency?: number;
  /** Agents of one organisation running at once in one process. Default 200. */
  organizationConcurrency?: number;
  /** How often orphaned and overdue runs are looked for. Default half a lease. */
  sweepIntervalMs?: number;
}

export interface SwarmRuntimeDependencies {
  database: Database;
  eventBus: EventBus;
  jobQueue: JobQueue;
  chat: ChatGateway;
  tools: ToolResolver;
  templates: TemplateResolver;
  /**
   * Checks the knowledge bases a run names (`knowledge_bases`, a template's) as the caller: each
   * must be one of its organisation's. Default: none exist, so naming any is a 404.
   */
  knowledgeBases?: (caller: AuthContext, ...check: Parameters<KnowledgeBaseCheck>) => Promise<unknown>;
  pricing: ModelPricing;
  clock: Clock;
  options?: SwarmRuntimeOptions;
  onError?: (error: unknown, message: string) => void;
  /** Told of each run and step that ends (metrics). */
  observer?: SwarmObserver;
  /** Told of each model call a worker actually makes, by step key (tests and overhead measurements). */
  onModelCall?: (runId: string, stepKey: string) => void;
  /**
   * Spans for runs, agents, steps and tool calls. A run's job carries the `traceparent` of the
   * request that created it beside its id, so the worker's spans join the caller's trace.
   */
  tracing?: Tracing;
}

/** What a run's job carries: its id, and the trace context of whoever queued it (when traced). */
interface RunJob extends Record<string, unknown> {
  runId: string;
  traceparent?: string;
  tracestate?: string;
}

export interface SwarmRunView {
  run: SwarmRunRecord;
  steps: SwarmStepRecord[];
}

/** A creation's outcome: the run, and whether it existed already (an Idempotency-Key replay). */
export interface SwarmRunCreation {
  run: SwarmRunRecord;
  replayed: boolean;
}

export interface SwarmRuntime {
  readonly database: Database;
  readonly eventBus: EventBus;
  createRun(caller: AuthContext, request: CreateSwarmRequest): Promise<SwarmRunRecord>;
  /**
   * Creates a run, or with an `idempotencyKey` the organisation used before for the same request,
   * returns that run (`replayed`); the same key with another request is a 422.
   */
  startRun(
    caller: AuthContext,
    request: CreateSwarmRequest,
    options?: { idempotencyKey?: string },
  ): Promise<SwarmRunCreation>;
  readRun(caller: AuthContext, runId: string): Promise<SwarmRunView>;
  listRuns(
    caller: AuthContext,
    options: { status?: SwarmRunStatus; limit: number; after?: string },
  ): Promise<SwarmRunRecord[]>;
  cancelRun(caller: AuthContext, runId: string): Promise<SwarmRunRecord>;
  decideApproval(
    caller: AuthContext,
    runId: string,
    decision: { stepId: string; accept: boolean; reason: string | null },
  ): Promise<SwarmRunRecord>;
  /** Starts executing runs from the queue in this process, resuming those left running. */
  startWorker(): Promise<void>;
  /** Stops taking runs; runs in progress give their lease back for another worker to resume. */
  close(): Promise<void>;
}

/** The swarm runtime: the API's operations on runs and, when started, a worker that executes them. */
export function createSwarmRuntime(dependencies: SwarmRuntimeDependencies): SwarmRuntime {
  const { database, eventBus, jobQueue, clock } = dependencies;
  const options = dependencies.options ?? {};
  const leaseMs = options.leaseMs ?? 10_000;
  const sweepIntervalMs = options.sweepIntervalMs ?? Math.max(100, Math.floor(leaseMs / 2));
  const runs = new SwarmRunStore(database, dependencies.observer);
  const steps = new SwarmStepStore(database, dependencies.observer);
  const slots = new OrganizationSlots(options.organizationConcurrency ?? 200);
  const onError = dependencies.onError ?? (() => {});
  const owner = `worker_${randomBytes(8).toString('hex')}`;
  const shutdown = new AbortController();
  const now = () => new Date(clock.now());
  let worker: QueueWorker | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  const inFlight = new Set<Promise<void>>();

  const tracing = dependencies.tracing;
  // why the run's own context: an approval or the orphan sweep re-queues it, and the resumed run
  // must continue the trace it was created in, not start one (or join the approval's request).
  const enqueue = async (runId: string, created?: Readonly<Record<string, string>>) => {
    const context = tracing ? (created ?? (await runs.traceContext(runId))) : {};
    const job: RunJob = { runId, ...context };
    await jobQueue.enqueue(swarmQueueName, job, { jobId: `run-${runId}`, attempts: 3, backoffMs: 500 });
  };

  // why: what a caller reads and creates goes through its organisation's scope, so row-level
  // security backs the organisation filter; the worker and the sweeper work across organisations.
  const runsOf = (caller: AuthContext) => new SwarmRunStore(database.forOrganization(caller.organizationId));
  const stepsOf = (caller: AuthContext) =>
    new SwarmStepStore(database.forOrganization(caller.organizationId));

  const requireRun = async (caller: AuthContext, runId: string): Promise<SwarmRunRecord> => {
    const run = await runsOf(caller).read(runId, caller.organizationId);
    if (run === null) throw errors.notFound(`The swarm run '${runId}'`, 'id');
    return run;
  };

  const sweep = async () => {
    for (const overdue of await runs.overdue(now(), 100)) {
      const ended = await finishRun(
        database,
        runs,
        null,
        overdue,
        {
          status: 'timed_out',
          error: { code: 'RUN_TIMED_OUT', message: 'The run did not finish within timeout_s.' },
        },
        now(),
      );
      if (ended) await eventBus.publish(runEventsChannel(overdue.id), 'appended').catch(() => {});
    }
    for (const runId of await runs.orphaned(now(), 500)) await enqueue(runId);
  };

  const runtime: SwarmRuntime = {
    database,
    eventBus,

    async createRun(caller, request) {
      return (await runtime.startRun(caller, request)).run;
    },

    async startRun(caller, request, creationOptions = {}) {
      const key = creationOptions.idempotencyKey;
      const fingerprint = key === undefined ? null : requestFingerprint(request);
      const replay = async (): Promise<SwarmRunCreation | null> => {
        if (key === undefined) return null;
        const existing = await runsOf(caller).readByIdempotencyKey(caller.organizationId, key);
        if (existing === null) return null;
        if (existing.fingerprint !== fingerprint) throw idempotencyKeyReused(key, existing.run.id);
        return { run: existing.run, replayed: true };
      };
      const earlier = await replay();
      if (earlier) return earlier;
      const platformMaximum = options.maximumAgents ?? 100;
      const plan = caller.plan === null ? null : await findPlan(database, caller.plan);
      const planMaximum = plan?.maxAgentsPerRun ?? null;
      const planLimits =
        plan && planMaximum !== null && planMaximum < platformMaximum
          ? {
              maximumAgents: planMaximum,
              planLimit: {
                planName: plan.name,
                upgradeHint: describeUpgrade(
                  plan,
                  suggestUpgrade(
                    plan,
                    { agents: request.max_agents ?? planMaximum + 1 },
                    await listPlans(database),
                  ),
                ),
              },
            }
          : { maximumAgents: platformMaximum };
      const checkKnowledgeBases = dependencies.knowledgeBases;
      const resolvers = {
        tools: dependencies.tools,
        templates: dependencies.templates,
        ...(checkKnowledgeBases
          ? {
              knowledgeBases: async (ids: readonly string[], param: string) => {
                await checkKnowledgeBases(caller, ids, param);
              },
            }
          : {}),
      };
      const specification = await specifyRun(caller.organizationId, request, resolvers, {
        defaultModel: options.defaultModel ?? 'sim/fast',
        ...planLimits,
        defaultTimeoutSeconds: options.defaultTimeoutSeconds ?? 600,
      });
      const id = `swarm_${randomBytes(12).toString('base64url').replace(/[-_]/g, '0')}`;
      const createdAt = now();
      const timeoutSeconds = request.timeout_s ?? options.defaultTimeoutSeconds ?? 600;
      const traceContext = tracing?.inject({}) ?? {};
      const inserted = await runsOf(caller).insert({
        id,
        organizationId: caller.organizationId,
        apiKeyId: caller.apiKeyId,
        task: request.task,
        template: request.template ?? null,
        specification,
        caller,
        budgetUsd: request.budget_usd === undefined ? null : request.budget_usd.toFixed(12),
        deadlineAt: new Date(createdAt.getTime() + timeoutSeconds * 1000),
        now: createdAt,
        ...(key === undefined || fingerprint === null ? {} : { idempotency: { key, fingerprint } }),
        traceContext,
      });
      if (!inserted) {
        // why: a concurrent creation with the same key committed first; its run is the answer
        const concurrent = await replay();
        if (concurrent) return concurrent;
        throw new Error(`the swarm run with Idempotency-Key '${key}' vanished after a conflict`);
      }
      await appendEvents(database, id, caller.organizationId, [
        { key: 'run-start', type: 'run-start', data: { run_id: id, task: request.task } },
      ]);
      await enqueue(id, traceContext);
      const created = await runsOf(caller).read(id);
      if (created === null) throw new Error(`swarm run ${id} vanished after its creation`);
      return { run: created, replayed: false };
    },

    async readRun(caller, runId) {
      const run = await requireRun(caller, runId);
      return { run, steps: await stepsOf(caller).list(runId) };
    },

    listRuns(caller, listOptions) {
      return runsOf(caller).list(caller.organizationId, listOptions);
    },

    async cancelRun(caller, runId) {
      const run = await requireRun(caller, runId);
      if (!terminalStatuses.includes(run.status)) {
        const ended = await finishRun(database, runs, null, run, { status: 'cancelled' }, now());
        if (ended) {
          await eventBus
            .publish(runControlChannel(runId), 'cancel')
            .catch((error: unknown) => onError(error, 'cancel notice failed'));
          await eventBus.publish(runEventsChannel(runId), 'appended').catch(() => {});
        }
      }
      return requireRun(caller, runId);
    },

    async decideApproval(caller, runId, decision) {
      const run = await requireRun(caller, runId);
      if (terminalStatuses.includes(run.status)) {
        throw errors.invalidRequest('id', `The swarm run '${runId}' has already ended (${run.status}).`);
      }
      const decided = await steps.decide(
        runId,
        caller.organizationId,
        decision.stepId,
        decision.accept ? 'approved' : 'rejected',
        decision.reason,
        now(),
      );
      if (!decided) {
        throw errors.invalidRequest(
          'step_id',
          `No tool call of this run awaits approval under step_id '${decision.stepId}'.`,
        );
      }
      if (await runs.transition(runId, ['awaiting_approval'], 'queued', now(), caller.organizationId))
        await enqueue(runId);
      return requireRun(caller, runId);
    },

    async startWorker() {
      if (worker !== null) return;
      if (database.singleProcess) {
        // why: the embedded store belongs to one process, so any lease in it is a dead process's.
        await database.query(
          `UPDATE swarm_runs SET lease_owner = NULL, lease_expires_at = NULL WHERE status IN ('queued', 'running')`,
        );
      }
      const executorDependencies = {
        database,
        eventBus,
        chat: dependencies.chat,
        runs,
        steps,
        pricing: dependencies.pricing,
        clock,
        tools: dependencies.tools,
        slots,
        leaseMs,
        requeue: enqueue,
        onError,
        ...(tracing ? { tracing } : {}),
      };
      worker = await jobQueue.work<RunJob>(
        swarmQueueName,
        async (job) => {
          const runId = job.data.runId;
          const execute = () =>
            executeRun(
              {
                ...executorDependencies,
                ...(dependencies.onModelCall
                  ? { onModelCall: (key: string) => dependencies.onModelCall?.(runId, key) }
                  : {}),
              },
              runId,
              owner,
              shutdown.signal,
            );
          const execution = tracing
            ? tracing.inSpan(
                'swarm run',
                {
                  kind: SpanKind.CONSUMER,
                  parent: tracing.extract({
                    traceparent: job.data.traceparent,
                    tracestate: job.data.tracestate,
                  }),
                  attributes: { 'kimi.swarm.run_id': runId, 'messaging.destination.name': swarmQueueName },
                },
                execute,
              )
            : execute();
          inFlight.add(execution);
          try {
            await execution;
          } finally {
            inFlight.delete(execution);
          }
        },
        { concurrency: options.workerConcurrency ?? 16, leaseMs },
      );
      await sweep().catch((error: unknown) => onError(error, 'swarm sweep failed'));
      sweeper = setInterval(() => {
        sweep().catch((error: unknown) => onError(error, 'swarm sweep failed'));
      }, sweepIntervalMs);
      sweeper.unref();
    },

    async close() {
      if (sweeper) clearInterval(sweeper);
      shutdown.abort();
      await Promise.allSettled([...inFlight]);
      await worker?.close();
      worker = null;
    },
  };
  return runtime;
}
