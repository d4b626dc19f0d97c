import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  createSwarmRequestSchema,
  followRunEvents,
  type RunEventFeed,
  type SwarmEvent,
  type SwarmRuntime,
} from '../../agents/index.ts';
import { errors } from '../../errors/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { eventStreamQuerySchema, lastEventIdHeadersSchema, resumeAfterOf } from '../event-stream-resume.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { ServerSentEventWriter } from '../server-sent-events.ts';
import {
  runStatusSchema,
  serializeRun,
  serializeRunSummary,
  swarmRunExample,
  swarmRunListSchema,
  swarmRunSchema,
  swarmRunSummaryExample,
  swarmRunSummarySchema,
} from './swarm-serializers.ts';

const tag = 'Swarms';

export interface SwarmRouteDependencies {
  runtime: SwarmRuntime;
  /** The authenticated caller of a request (routes are registered behind authentication). */
  callerOf(request: FastifyRequest): AuthContext;
  /** How often a live stream re-reads the store when no notice arrives. Default 1000 ms. */
  pollIntervalMs?: number;
}

export const swarmListQuerySchema = z.strictObject({
  status: runStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).max(64).optional().describe('The `next_cursor` of the previous page.'),
});

export const approvalSchema = z.strictObject({
  step_id: z.string().min(1).max(256).describe('The `step_id` of a pending approval.'),
  decision: z.enum(['accept', 'reject']),
  reason: z.string().max(2000).optional().describe('Told to the agent when the call is rejected.'),
});

const runParamsSchema = z.object({ id: z.string().describe('The run id.') });

const eventTypes =
  '`run-start`, `plan-ready`, `agent-start`, `text-delta`, `tool-call-start`, `tool-call-end`, `agent-end`, `synthesis-delta`, `run-end`, `run-error`';

const subscribeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('subscribe'),
    run_id: z.string().min(1).max(64),
    after: z.number().int().min(0).optional(),
  }),
  z.strictObject({ type: z.literal('unsubscribe'), run_id: z.string().min(1).max(64) }),
]);

/** Printable ASCII (space to tilde), 1 to 255 characters, as the IETF Idempotency-Key draft suggests. */
const idempotencyKeyPattern = /^[\x20-\x7e]{1,255}$/;

const createSwarmHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(idempotencyKeyPattern)
    .optional()
    .describe(
      'Makes the creation safe to repeat: the same key with the same body returns the same run (200, `idempotent-replayed: true`); with another body it is a 422 `IDEMPOTENCY_KEY_REUSED`. 1–255 printable ASCII characters, e.g. a UUID; unique per organisation.',
    ),
});

/** The `Idempotency-Key` header of a creation, when sent; a malformed one is a 400 naming it. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header.join(', ') : header;
  if (!idempotencyKeyPattern.test(key)) {
    throw errors.invalidRequest(
      'Idempotency-Key',
      "'Idempotency-Key' must be 1 to 255 printable ASCII characters.",
      "Send one key per creation, e.g. a UUID: 'Idempotency-Key: 0b0e9a4c-…'.",
    );
  }
  return key;
}

function paramsId(request: FastifyRequest): string {
  return parseWith(runParamsSchema, request.params).id;
}

/** The wire form of one event: the same over SSE and WebSocket. */
function eventPayload(runId: string, event: SwarmEvent) {
  return {
    run_id: runId,
    sequence: event.sequence,
    type: event.type,
    data: event.data,
    created_at: event.createdAt.toISOString(),
  };
}

/**
 * POST/GET /v1/swarms, GET /v1/swarms/{id}, cancel, approvals, the SSE stream of a run's events
 * (resumable with Last-Event-ID) and GET /v1/swarms/ws, a WebSocket carrying any runs' events.
 */
export async function registerSwarmRoutes(
  app: FastifyInstance,
  dependencies: SwarmRouteDependencies,
): Promise<void> {
  const { runtime, callerOf } = dependencies;
  const feedDependencies = {
    database: runtime.database,
    eventBus: runtime.eventBus,
    ...(dependencies.pollIntervalMs ? { pollIntervalMs: dependencies.pollIntervalMs } : {}),
  };

  app.post(
    '/v1/swarms',
    requires('swarms:write', {
      operationId: 'createSwarm',
      summary: 'Start a swarm run',
      description:
        'Queues a run of agents on a task: a `template`, inline `agents`, or neither (the planner staffs it). Answers 202 at once with the run `queued` and its URL in `Location` (200 with the same run for a repeat with the same `Idempotency-Key`); follow it with GET /v1/swarms/{id}/events (SSE) or GET /v1/swarms/ws. Every model call is billed and counted against `budget_usd`; the run stops as `timed_out` after `timeout_s`.',
      tag,
      headers: createSwarmHeadersSchema,
      body: createSwarmRequestSchema,
      bodyExample: {
        task: 'Review the pull request for security issues.',
        template: 'security-audit',
        budget_usd: 0.5,
        timeout_s: 1800,
      },
      responses: {
        200: {
          description:
            'A repeat of an earlier creation with the same Idempotency-Key and body: that run, as it is now.',
          schema: swarmRunSummarySchema,
          example: swarmRunSummaryExample,
          headers: {
            Location: 'The run: `/v1/swarms/{id}`.',
            'idempotent-replayed': '`true`: no new run was created.',
          },
        },
        202: {
          description: 'The run, queued.',
          schema: swarmRunSummarySchema,
          example: swarmRunSummaryExample,
          headers: { Location: 'The run: `/v1/swarms/{id}`.' },
        },
      },
      errors: [404, 422],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const idempotencyKey = idempotencyKeyOf(request);
      const body = parseWith(createSwarmRequestSchema, request.body);
      const { run, replayed } = await runtime.startRun(
        caller,
        body,
        idempotencyKey === undefined ? {} : { idempotencyKey },
      );
      reply.header('location', `/v1/swarms/${run.id}`);
      if (replayed) reply.code(200).header('idempotent-replayed', 'true');
      else reply.code(202);
      return serializeRunSummary(run);
    },
  );

  app.get(
    '/v1/swarms',
    requires('swarms:read', {
      operationId: 'listSwarms',
      summary: "List the organisation's swarm runs, newest first",
      description: 'Pages of `limit` runs: pass `next_cursor` as `after` for the next.',
      tag,
      query: swarmListQuerySchema,
      responses: {
        200: {
          description: 'A page of runs (without steps).',
          schema: swarmRunListSchema,
          example: { object: 'list', data: [swarmRunSummaryExample], has_more: false, next_cursor: null },
        },
      },
    }),
    async (request): Promise<z.output<typeof swarmRunListSchema>> => {
      const caller = callerOf(request);
      const query = parseWith(swarmListQuerySchema, request.query);
      const runs = await runtime.listRuns(caller, {
        limit: query.limit + 1,
        ...(query.status ? { status: query.status } : {}),
        ...(query.after ? { after: query.after } : {}),
      });
      const page = runs.slice(0, query.limit);
      return {
        object: 'list',
        data: page.map(serializeRunSummary),
        has_more: runs.length > query.limit,
        next_cursor: runs.length > query.limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );

  app.get(
    '/v1/swarms/:id',
    requires('swarms:read', {
      operationId: 'getSwarm',
      summary: 'Get a swarm run with its plan, agents, steps and result',
      tag,
      params: runParamsSchema,
      responses: { 200: { description: 'The run.', schema: swarmRunSchema, example: swarmRunExample } },
      errors: [404],
    }),
    async (request) => {
      const view = await runtime.readRun(callerOf(request), paramsId(request));
      return serializeRun(view.run, view.steps);
    },
  );

  app.post(
    '/v1/swarms/:id/cancel',
    requires('swarms:write', {
      operationId: 'cancelSwarm',
      summary: 'Cancel a swarm run',
      description:
        'A run that has already ended is refused (400). Work in progress stops; what was spent stays billed.',
      tag,
      params: runParamsSchema,
      responses: {
        200: {
          description: 'The run, cancelled.',
          schema: swarmRunSummarySchema,
          example: {
            ...swarmRunSummaryExample,
            status: 'cancelled',
            finished_at: '2026-12-07T16:00:30.000Z',
          },
        },
      },
      errors: [404, 413, 415],
    }),
    async (request) => {
      return serializeRunSummary(await runtime.cancelRun(callerOf(request), paramsId(request)));
    },
  );

  app.post(
    '/v1/swarms/:id/approvals',
    requires('swarms:write', {
      operationId: 'decideSwarmApproval',
      summary: 'Accept or reject a tool call waiting for approval',
      description:
        'Tools marked `needs_approval` pause their agent (`awaiting_approval`) until a decision; the pending ones are in GET /v1/swarms/{id} `pending_approvals`.',
      tag,
      params: runParamsSchema,
      body: approvalSchema,
      bodyExample: { step_id: 'a1/tool/0', decision: 'accept' },
      responses: {
        200: {
          description: 'The run, resumed.',
          schema: swarmRunSummarySchema,
          example: { ...swarmRunSummaryExample, status: 'running' },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const body = parseWith(approvalSchema, request.body);
      const run = await runtime.decideApproval(callerOf(request), paramsId(request), {
        stepId: body.step_id,
        accept: body.decision === 'accept',
        reason: body.reason ?? null,
      });
      return serializeRunSummary(run);
    },
  );

  app.get(
    '/v1/swarms/:id/events',
    requires('swarms:read', {
      operationId: 'streamSwarmEvents',
      summary: "Follow a swarm run's events (Server-Sent Events)",
      description: [
        `A \`text/event-stream\`: each event has its type as the SSE \`event\` (${eventTypes}), its sequence number as the SSE \`id\`, and as \`data\` a JSON object \`{ run_id, sequence, type, data, created_at }\` (\`created_at\` ISO 8601).`,
        'The stream starts with the events already stored and ends after `run-end` or `run-error`; a `: keep-alive` comment comes every 15 s. Resume with `Last-Event-ID` (or `?after=`).',
      ].join('\n\n'),
      tag,
      params: runParamsSchema,
      query: eventStreamQuerySchema,
      headers: lastEventIdHeadersSchema,
      responses: {
        200: { description: 'The events, as Server-Sent Events.', contentType: 'text/event-stream' },
      },
      errors: [404],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const runId = paramsId(request);
      await runtime.readRun(caller, runId);
      const after = resumeAfterOf(request);
      reply.hijack();
      const writer = new ServerSentEventWriter(reply.raw);
      writer.open(200, { 'x-request-id': request.id });
      const keepAlive = setInterval(() => void writer.comment('keep-alive'), 15_000);
      let feed: RunEventFeed | null = null;
      const end = () => {
        clearInterval(keepAlive);
        writer.end();
      };
      reply.raw.on('close', () => {
        clearInterval(keepAlive);
        void feed?.close();
      });
      feed = await followRunEvents(
        feedDependencies,
        runId,
        after,
        (event) =>
          writer.send(JSON.stringify(eventPayload(runId, event)), event.type, String(event.sequence)),
        (error) => {
          if (error) request.log.warn({ err: error }, 'swarm event stream failed');
          end();
        },
      );
    },
  );

  app.get(
    '/v1/swarms/ws',
    {
      websocket: true,
      ...requires('swarms:read', {
        operationId: 'connectSwarmEvents',
        summary: "A WebSocket carrying any of the organisation's runs' events",
        description: [
          'Send JSON text messages: `{ "type": "subscribe", "run_id", "after"? }` (events after that sequence number; default all) and `{ "type": "unsubscribe", "run_id" }`.',
          `The server answers \`{ "type": "subscribed", "run_id" }\`, then each event as \`{ "type": "event", "event", "run_id", "sequence", "data", "created_at" }\` (\`event\` one of ${eventTypes}), and \`{ "type": "error", "run_id"?, "error": { "message", "param" } }\` for an invalid message or a run the caller cannot see. A subscription ends after the run's last event.`,
          'A GET without the WebSocket upgrade is answered 426.',
        ].join('\n\n'),
        tag,
        websocket: true,
        responses: {},
        errors: [426],
      }),
    },
    (socket, request) => {
      const caller = callerOf(request);
      const feeds = new Map<string, RunEventFeed>();
      const send = (message: Record<string, unknown>) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      socket.on('message', (raw: Buffer) => {
        void (async () => {
          let message: z.output<typeof subscribeSchema>;
          try {
            message = parseWith(subscribeSchema, JSON.parse(raw.toString()));
          } catch (error) {
            send({
              type: 'error',
              error: {
                message: (error as Error).message,
                param: (error as { param?: string }).param ?? null,
              },
            });
            return;
          }
          if (message.type === 'unsubscribe') {
            await feeds.get(message.run_id)?.close();
            feeds.delete(message.run_id);
            return;
          }
          const runId = message.run_id;
          try {
            await runtime.readRun(caller, runId);
          } catch (error) {
            send({
              type: 'error',
              run_id: runId,
              error: { message: (error as Error).message, param: 'run_id' },
            });
            return;
          }
          if (feeds.has(runId)) return;
          send({ type: 'subscribed', run_id: runId });
          const feed = await followRunEvents(
            feedDependencies,
            runId,
            message.after ?? 0,
            (event) => {
              const { type, ...rest } = eventPayload(runId, event);
              send({ type: 'event', event: type, ...rest });
            },
            () => {
              feeds.delete(runId);
            },
          );
          feeds.set(runId, feed);
        })();
      });
      socket.on('close', () => {
        for (const feed of feeds.values()) void feed.close();
        feeds.clear();
      });
    },
  );
}
