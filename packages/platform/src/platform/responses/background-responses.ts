import { errors, isPlatformError, type PlatformError } from '../../errors/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import type { EventBus } from '../../storage/pubsub/index.ts';
import type { JobQueue, QueueWorker } from '../../storage/queue/index.ts';
import { type AuthContext, findApiKey } from '../../tenancy/index.ts';
import {
  cancelBackgroundResponse,
  claimBackgroundResponse,
  failUnreadableResponse,
  findUnattendedResponses,
  releaseLease,
  renewLease,
} from './background-response-repository.ts';
import { appendConversationItems } from './conversation-repository.ts';
import { appendResponseEvents, deleteResponseEventsFrom } from './response-event-repository.ts';
import { BackgroundEventWriter, responseEventsChannel } from './response-event-writer.ts';
import { identifyInputItems, newResponseId } from './response-identifiers.ts';
import {
  echoParameters,
  type ResponseObject,
  type ResponseState,
  toResponseObject,
  withCitations,
} from './response-object.ts';
import { type PreparationDependencies, prepareResponse, type ResponseCall } from './response-preparation.ts';
import { finishResponse, insertResponse } from './response-repository.ts';
import { responseCreateRequestSchema } from './response-request.ts';
import { runResponseStream } from './response-streaming.ts';

/**
 * A key revoked or expired since it queued a response does not run it: the job uses the stored
 * context, so it checks what authentication would have refused.
 */
async function checkKeyStillValid(database: Queryable, caller: AuthContext, now: number): Promise<void> {
  if (caller.principal !== 'api_key') return;
  const key = await findApiKey(database, caller.organizationId, caller.apiKeyId);
  if (!key) throw errors.apiKeyInvalid();
  if (key.revokedAt) throw errors.apiKeyRevoked();
  if (key.expiresAt && key.expiresAt.getTime() <= now) throw errors.apiKeyExpired(key.expiresAt);
}

/** The queue background responses run on; a job's data is `{ responseId, organizationId }`, never the request. */
export const backgroundResponseQueue = 'responses';

/** `response.created` and `response.queued` are written when the response is queued; its run continues from here. */
const firstRunSequenceNumber = 2;

/** The parts of a call a background job needs besides its body and caller (the HTTP request is gone by then). */
type CallOptions = Pick<ResponseCall, 'requestId' | 'costPreference' | 'timeoutMs' | 'cacheDirectives'>;

export interface BackgroundOptions {
  /** How long a runner holds a response before another process may take it over; renewed at a third of it. */
  leaseMs: number;
  /** Responses this process runs at once. */
  concurrency: number;
}

export interface BackgroundDependencies extends PreparationDependencies {
  jobQueue: JobQueue;
  eventBus: EventBus;
  options: BackgroundOptions;
  onError: (error: unknown, message: string) => void;
}

export interface BackgroundResponses {
  /** Stores the response `queued` (with its first two events) and enqueues its job. */
  create(call: ResponseCall): Promise<ResponseObject>;
  /** Cancels a queued or running background response; a finished one is returned as it is. */
  cancel(caller: AuthContext, id: string): Promise<void>;
  /** Starts this process's runner, and enqueues the responses nobody runs (after a restart). */
  startWorker(): Promise<void>;
  /** Stops running: responses in flight are released (their lease expires now) for the next runner. */
  close(): Promise<void>;
}

const cancelChannel = 'responses:cancel';

export function createBackgroundResponses(dependencies: BackgroundDependencies): BackgroundResponses {
  const { database, chat, clock, jobQueue, eventBus, options } = dependencies;
  const running = new Map<string, AbortController>();
  let worker: QueueWorker | null = null;
  let sweepTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | null = null;
  let closing = false;
  const expiresAfterMs = () => dependencies.settings().retention_days * 86_400_000;

  async function enqueue(id: string, organizationId: string): Promise<void> {
    await jobQueue.enqueue(backgroundResponseQueue, { responseId: id, organizationId }, { jobId: id });
  }

  async function run(organizationId: string, id: string): Promise<void> {
    const scoped = database.forOrganization(organizationId);
    const claimed = await claimBackgroundResponse(scoped, organizationId, id, clock.now(), options.leaseMs);
    if (!claimed) return;
    await deleteResponseEventsFrom(scoped, organizationId, id, firstRunSequenceNumber);
    const parsed = responseCreateRequestSchema.safeParse(claimed.body);
    if (!parsed.success) {
      // why: a stored request this version cannot read would otherwise be claimed again forever.
      await failUnreadableResponse(scoped, organizationId, id, clock.now(), parsed.error.message);
      return;
    }
    const body = parsed.data;
    const controller = new AbortController();
    running.set(id, controller);
    const heartbeat = setInterval(
      () => {
        renewLease(scoped, organizationId, id, clock.now(), options.leaseMs)
          .then((held) => {
            if (!held) controller.abort();
          })
          .catch((error) => dependencies.onError(error, 'renewing a background response lease failed'));
      },
      Math.max(50, Math.floor(options.leaseMs / 3)),
    );
    const writer = new BackgroundEventWriter(scoped, eventBus, organizationId, id);
    const callOptions = claimed.callOptions as CallOptions;
    const call: ResponseCall = {
      ...callOptions,
      context: claimed.caller as AuthContext,
      startedAt: performance.now(),
      signal: controller.signal,
      body,
    };
    const state: ResponseState = {
      id,
      model: body.model,
      status: 'in_progress',
      createdAt: claimed.createdAt,
      completedAt: null,
      parameters: echoParameters(body),
      output: [],
      usage: null,
      error: null,
      incompleteDetails: null,
    };
    const save = async (finished: ResponseState) => {
      await scoped.transaction(async (transaction) => {
        const written = await finishResponse(transaction, organizationId, finished, claimed.inputItems);
        if (written && claimed.conversationId && finished.status !== 'failed') {
          await appendConversationItems(
            transaction,
            organizationId,
            claimed.conversationId,
            [...claimed.inputItems, ...finished.output],
            clock.now(),
          );
        }
      });
    };
    try {
      await checkKeyStillValid(scoped, call.context, clock.now());
      const prepared = await prepareResponse(dependencies, call, claimed.inputItems);
      state.parameters = withCitations(state.parameters, prepared.citations);
      await runResponseStream(chat, clock, {
        prepared,
        state,
        firstSequenceNumber: firstRunSequenceNumber,
        announceCreated: false,
        handlers: { onStart() {}, onEvent: (event) => writer.write(event) },
        save,
        stopped: () => controller.signal.aborted,
      });
      await writer.flushed();
    } catch (caught) {
      await writer.flushed().catch(() => undefined);
      if (controller.signal.aborted) return;
      const error: PlatformError = isPlatformError(caught) ? caught : errors.internal(caught);
      if (!isPlatformError(caught)) dependencies.onError(caught, 'a background response failed');
      state.status = 'failed';
      state.error = {
        code: error.status === 429 ? 'rate_limit_exceeded' : 'server_error',
        message: error.message,
      };
      await save(state);
      const response = toResponseObject(state);
      await writer.write({
        type: 'error',
        code: error.code,
        message: error.message,
        param: error.param,
        sequence_number: writer.next,
      });
      await writer.write({ type: 'response.failed', response, sequence_number: writer.next });
    } finally {
      clearInterval(heartbeat);
      running.delete(id);
      if (closing && controller.signal.aborted) {
        await releaseLease(scoped, organizationId, id, clock.now()).catch((error) =>
          dependencies.onError(error, 'releasing a background response failed'),
        );
      }
    }
  }

  async function sweep(): Promise<void> {
    const unattended = await findUnattendedResponses(
      database.forPlatform('background responses nobody runs'),
      clock.now(),
      100,
    );
    for (const response of unattended) {
      if (!running.has(response.id)) await enqueue(response.id, response.organizationId);
    }
  }

  function scheduleSweep(): void {
    if (closing) return;
    sweepTimer = setTimeout(() => {
      sweep()
        .catch((error) => dependencies.onError(error, 'sweeping background responses failed'))
        .finally(scheduleSweep);
    }, options.leaseMs);
    sweepTimer.unref();
  }

  return {
    async create(call) {
      // why prepare and route now: an unknown model, conversation or previous response, or a model
      // the key may not use, is a 4xx of the create call, not a response that fails later.
      const prepared = await prepareResponse(dependencies, call, undefined, 'check');
      dependencies.chat.quote(prepared.gatewayCall);
      const createdAt = clock.now();
      const inputItems = identifyInputItems(call.body.input);
      const state: ResponseState = {
        id: newResponseId(),
        model: call.body.model,
        status: 'queued',
        createdAt,
        completedAt: null,
        parameters: echoParameters(call.body),
        output: [],
        usage: null,
        error: null,
        incompleteDetails: null,
      };
      const response = toResponseObject(state);
      const { context, requestId, costPreference, timeoutMs, cacheDirectives, body } = call;
      const callOptions: CallOptions = {
        requestId,
        ...(costPreference === undefined ? {} : { costPreference }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(cacheDirectives === undefined ? {} : { cacheDirectives }),
      };
      const { origin: _origin, ...caller } = context;
      await database.forOrganization(context.organizationId).transaction(async (transaction) => {
        await insertResponse(transaction, {
          organizationId: context.organizationId,
          apiKeyId: context.apiKeyId,
          state,
          inputItems,
          expiresAt: createdAt + expiresAfterMs(),
          conversationId: response.conversation?.id ?? null,
          background: { body, caller, callOptions },
        });
        await appendResponseEvents(transaction, context.organizationId, state.id, [
          { type: 'response.created', response, sequence_number: 0 },
          { type: 'response.queued', response, sequence_number: 1 },
        ]);
      });
      await enqueue(state.id, context.organizationId);
      return response;
    },

    async cancel(caller, id) {
      const outcome = await database
        .forOrganization(caller.organizationId)
        .transaction((transaction) =>
          cancelBackgroundResponse(transaction, caller.organizationId, id, clock.now()),
        );
      if (!outcome.found) throw errors.notFound(`The response '${id}'`, null);
      if (!outcome.background) {
        throw errors.invalidRequest(
          'response_id',
          'Only responses created with background set to true can be cancelled.',
        );
      }
      if (outcome.previousStatus === 'in_progress') {
        running.get(id)?.abort();
        await eventBus.publish(cancelChannel, id);
      }
      await eventBus.publish(responseEventsChannel(id), 'cancelled');
    },

    async startWorker() {
      unsubscribe = await eventBus.subscribe(cancelChannel, (id) => running.get(id)?.abort());
      worker = await jobQueue.work<{ responseId: string; organizationId: string }>(
        backgroundResponseQueue,
        (job) => run(job.data.organizationId, job.data.responseId),
        { concurrency: options.concurrency, leaseMs: options.leaseMs },
      );
      await sweep();
      scheduleSweep();
    },

    async close() {
      closing = true;
      clearTimeout(sweepTimer);
      await unsubscribe?.();
      for (const controller of running.values()) controller.abort();
      await worker?.close();
    },
  };
}
