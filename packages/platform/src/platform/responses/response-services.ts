import { errors, type PlatformError } from '../../errors/index.ts';
import type { ChatGateway, ChatOutcome } from '../../gateway/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { EventBus } from '../../storage/pubsub/index.ts';
import type { JobQueue } from '../../storage/queue/index.ts';
import type { Clock, Tokenizer } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { KnowledgeRetrieval } from '../knowledge/index.ts';
import { type BackgroundOptions, createBackgroundResponses } from './background-responses.ts';
import { appendConversationItems } from './conversation-repository.ts';
import { followResponseEvents } from './response-event-follower.ts';
import { newResponseId } from './response-identifiers.ts';
import { type InputItemPage, type InputItemQuery, pageInputItems } from './response-input-items.ts';
import {
  echoParameters,
  finishStatus,
  type ResponseObject,
  type ResponseState,
  type StoredInputItem,
  toResponseObject,
  toResponseUsage,
  withCitations,
} from './response-object.ts';
import { type PreparedResponse, prepareResponse, type ResponseCall } from './response-preparation.ts';
import {
  deleteExpiredResponses,
  deleteResponse,
  findInputItems,
  findResponse,
  insertResponse,
} from './response-repository.ts';
import type { SequencedResponseStreamEvent } from './response-stream-events.ts';
import {
  type ResponseStreamHandlers,
  runResponseStream,
  type StreamedResponse,
} from './response-streaming.ts';
import { createResponseWriter } from './response-writer.ts';
import { outputOf } from './result-output.ts';

export type { ResponseCall } from './response-preparation.ts';
export type { ResponseStreamHandlers, StreamedResponse } from './response-streaming.ts';

/** The Responses API over the chat gateway: admission, cache, routing and metering apply as for chat. */
export interface ResponseServices {
  /** One response; stored (with its input items) before this resolves when `store` is not false. */
  create(call: ResponseCall): Promise<{ response: ResponseObject; outcome: ChatOutcome }>;
  /**
   * Streams the semantic events; rejects only before the first event (the caller answers with a
   * plain HTTP error then). Stored before `response.completed` (or `.incomplete`, `.failed`) is sent.
   */
  stream(call: ResponseCall, handlers: ResponseStreamHandlers): Promise<StreamedResponse>;
  /** `background: true`: stored `queued` and run as a job; resolves at once with the queued response. */
  createBackground(call: ResponseCall): Promise<ResponseObject>;
  /**
   * The events of a background response after `after` (-1: all), stored ones first, then live
   * ones until it ends or `signal` aborts. A 404 for an unknown response, a 400 (naming `stream`)
   * for one that was not created in the background.
   */
  followEvents(
    caller: AuthContext,
    id: string,
    after: number,
    onEvent: (event: SequencedResponseStreamEvent) => void | Promise<void>,
    signal: AbortSignal,
  ): Promise<void>;
  /** Cancels a background response (400 for another); a finished one is returned unchanged. */
  cancel(caller: AuthContext, id: string): Promise<ResponseObject>;
  retrieve(caller: AuthContext, id: string): Promise<ResponseObject>;
  remove(caller: AuthContext, id: string): Promise<{ id: string; object: 'response'; deleted: true }>;
  listInputItems(caller: AuthContext, id: string, query: InputItemQuery): Promise<InputItemPage>;
  /** Deletes responses past their retention (every organisation); returns how many. */
  sweepExpired(limit?: number): Promise<number>;
  /** Runs background responses in this process, and picks up the ones nobody runs. */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface ResponseServiceDependencies {
  database: Database;
  chat: ChatGateway;
  clock: Clock;
  tokenizer: Tokenizer;
  /** Retrieval for `kimi.knowledge_bases`; without it, naming a knowledge base is a 404. */
  knowledge?: KnowledgeRetrieval;
  jobQueue: JobQueue;
  eventBus: EventBus;
  settings: () => { retention_days: number; max_chain_length: number };
  background?: Partial<BackgroundOptions> & { pollIntervalMs?: number };
  onError?: (error: unknown, message: string) => void;
}

const dayMs = 86_400_000;

function responseNotFound(id: string, param: string | null): PlatformError {
  return errors.notFound(`The response '${id}'`, param);
}

export function createResponseServices(dependencies: ResponseServiceDependencies): ResponseServices {
  const { database, chat, clock } = dependencies;
  // why: row-level security backs every statement's organisation filter; only the sweeps span them.
  const databaseOf = (caller: AuthContext) => database.forOrganization(caller.organizationId);
  const writer = createResponseWriter(database);
  const background = createBackgroundResponses({
    ...dependencies,
    options: {
      leaseMs: dependencies.background?.leaseMs ?? 30_000,
      concurrency: dependencies.background?.concurrency ?? 8,
    },
    onError: dependencies.onError ?? (() => undefined),
  });

  /** Stores the response (when `store`), and appends its items to its conversation, in one transaction. */
  async function save(caller: AuthContext, state: ResponseState, prepared: PreparedResponse): Promise<void> {
    const conversationId = prepared.conversationId;
    const appendsToConversation = conversationId !== null && state.status !== 'failed';
    if (!state.parameters.store && !appendsToConversation) return;
    const inputItems: StoredInputItem[] = prepared.inputItems;
    const stored = {
      organizationId: caller.organizationId,
      apiKeyId: caller.apiKeyId,
      state,
      inputItems,
      expiresAt: state.createdAt + dependencies.settings().retention_days * dayMs,
      conversationId,
    };
    // why: a lone row needs no transaction (two more round trips), and rows of concurrent
    // requests share one INSERT (see response-writer.ts).
    if (!appendsToConversation) {
      await writer.write(stored);
      return;
    }
    await databaseOf(caller).transaction(async (transaction) => {
      if (state.parameters.store) await insertResponse(transaction, stored);
      await appendConversationItems(
        transaction,
        caller.organizationId,
        conversationId,
        [...inputItems, ...state.output],
        clock.now(),
      );
    });
  }

  return {
    async create(call) {
      const createdAt = clock.now();
      const prepared = await prepareResponse(dependencies, call);
      const outcome = await chat.complete(prepared.gatewayCall);
      const { output, finishReason } = outputOf(outcome.result);
      const finished = finishStatus(finishReason);
      const state: ResponseState = {
        id: newResponseId(),
        model: outcome.model.publicId,
        status: finished.status,
        createdAt,
        completedAt: clock.now(),
        parameters: withCitations(echoParameters(call.body), prepared.citations),
        output,
        usage: toResponseUsage(outcome.usage),
        error: null,
        incompleteDetails: finished.incompleteDetails,
      };
      await save(call.context, state, prepared);
      return { response: toResponseObject(state), outcome };
    },

    async stream(call, handlers) {
      const createdAt = clock.now();
      const prepared = await prepareResponse(dependencies, call);
      const state: ResponseState = {
        id: newResponseId(),
        model: call.body.model,
        status: 'in_progress',
        createdAt,
        completedAt: null,
        parameters: withCitations(echoParameters(call.body), prepared.citations),
        output: [],
        usage: null,
        error: null,
        incompleteDetails: null,
      };
      return runResponseStream(chat, clock, {
        prepared,
        state,
        firstSequenceNumber: 0,
        announceCreated: true,
        handlers,
        save: (finished) => save(call.context, finished, prepared),
        stopped: () => call.signal.aborted,
      });
    },

    createBackground: (call) => background.create(call),

    async followEvents(caller, id, after, onEvent, signal) {
      const state = await findResponse(databaseOf(caller), caller.organizationId, id, clock.now());
      if (!state) throw responseNotFound(id, null);
      if (!state.parameters.background) {
        throw errors.invalidRequest(
          'stream',
          'Only responses created with background set to true can be streamed again.',
          'Retrieve the response without stream, or create it with background: true.',
        );
      }
      await followResponseEvents({
        database,
        eventBus: dependencies.eventBus,
        clock,
        organizationId: caller.organizationId,
        responseId: id,
        after,
        onEvent,
        signal,
        pollIntervalMs: dependencies.background?.pollIntervalMs ?? 250,
      });
    },

    async cancel(caller, id) {
      await background.cancel(caller, id);
      return this.retrieve(caller, id);
    },

    async retrieve(caller, id) {
      const state = await findResponse(databaseOf(caller), caller.organizationId, id, clock.now());
      if (!state) throw responseNotFound(id, null);
      return toResponseObject(state);
    },

    async remove(caller, id) {
      if (!(await deleteResponse(databaseOf(caller), caller.organizationId, id, clock.now()))) {
        throw responseNotFound(id, null);
      }
      return { id, object: 'response', deleted: true };
    },

    async listInputItems(caller, id, query) {
      const items = await findInputItems(databaseOf(caller), caller.organizationId, id, clock.now());
      if (!items) throw responseNotFound(id, null);
      return pageInputItems(items, query);
    },

    sweepExpired(limit = 1000) {
      return deleteExpiredResponses(
        database.forPlatform('responses past their retention'),
        clock.now(),
        limit,
      );
    },

    startWorker: () => background.startWorker(),
    close: () => background.close(),
  };
}
