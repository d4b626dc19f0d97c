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
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { ServerSentEventWriter } from '../server-sent-events.ts';
import { serializeRun, serializeRunSummary } from './swarm-serializers.ts';

export interface SwarmRouteDependencies {
  runtime: SwarmRuntime;
  /** The authenticated caller of a request (routes are registered behind authentication). */
  callerOf(request: FastifyRequest): AuthContext;
  /** How often a live stream re-reads the store when no notice arrives. Default 1000 ms. */
  pollIntervalMs?: number;
}

const statusSchema = z.enum([
  'queued',
  'running',
  'awaiting_approval',
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'budget_exhausted',
]);

const listQuerySchema = z.strictObject({
  status: statusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).max(64).optional(),
});

const approvalSchema = z.strictObject({
  step_id: z.string().min(1).max(256),
  decision: z.enum(['accept', 'reject']),
  reason: z.string().max(2000).optional(),
});

const eventsQuerySchema = z.strictObject({ after: z.coerce.number().int().min(0).optional() });

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
  return (request.params as { id: string }).id;
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

  app.post('/v1/swarms', requires('swarms:write'), async (request, reply) => {
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
  });

  app.get('/v1/swarms', requires('swarms:read'), async (request) => {
    const caller = callerOf(request);
    const query = parseWith(listQuerySchema, request.query);
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
  });

  app.get('/v1/swarms/:id', requires('swarms:read'), async (request) => {
    const view = await runtime.readRun(callerOf(request), paramsId(request));
    return serializeRun(view.run, view.steps);
  });

  app.post('/v1/swarms/:id/cancel', requires('swarms:write'), async (request) => {
    return serializeRunSummary(await runtime.cancelRun(callerOf(request), paramsId(request)));
  });

  app.post('/v1/swarms/:id/approvals', requires('swarms:write'), async (request) => {
    const body = parseWith(approvalSchema, request.body);
    const run = await runtime.decideApproval(callerOf(request), paramsId(request), {
      stepId: body.step_id,
      accept: body.decision === 'accept',
      reason: body.reason ?? null,
    });
    return serializeRunSummary(run);
  });

  app.get('/v1/swarms/:id/events', requires('swarms:read'), async (request, reply) => {
    const caller = callerOf(request);
    const runId = paramsId(request);
    await runtime.readRun(caller, runId);
    const query = parseWith(eventsQuerySchema, request.query);
    const header = request.headers['last-event-id'];
    const lastEventId = Array.isArray(header) ? header[0] : header;
    if (lastEventId !== undefined && !/^\d+$/.test(lastEventId.trim())) {
      throw errors.invalidRequest(
        'Last-Event-ID',
        "'Last-Event-ID' must be the sequence number of an event.",
      );
    }
    const after = lastEventId !== undefined ? Number(lastEventId.trim()) : (query.after ?? 0);
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
      (event) => writer.send(JSON.stringify(eventPayload(runId, event)), event.type, String(event.sequence)),
      (error) => {
        if (error) request.log.warn({ err: error }, 'swarm event stream failed');
        end();
      },
    );
  });

  app.get('/v1/swarms/ws', { websocket: true, ...requires('swarms:read') }, (socket, request) => {
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
            error: { message: (error as Error).message, param: (error as { param?: string }).param ?? null },
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
  });
}
