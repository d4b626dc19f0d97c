import { errors, isPlatformError, type PlatformError } from '../../errors/index.ts';
import type { CachedChatCall, ChatGateway, ChatOutcome, RouteInfo, ServedAs } from '../../gateway/index.ts';
import type { ChatMessage } from '../../model/index.ts';
import type { ResolvedModel } from '../../routing/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock, Tokenizer } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { itemsToMessages, toChatRequest } from './convert-response-input.ts';
import { identifyInputItems, newResponseId } from './response-identifiers.ts';
import { type InputItemPage, type InputItemQuery, pageInputItems } from './response-input-items.ts';
import {
  echoParameters,
  finishStatus,
  type ResponseObject,
  type ResponseState,
  type StoredInputItem,
  toResponseObject,
  toResponseUsage,
} from './response-object.ts';
import {
  deleteExpiredResponses,
  deleteResponse,
  findConversation,
  findInputItems,
  findResponse,
  insertResponse,
} from './response-repository.ts';
import type { ResponseCreateRequest } from './response-request.ts';
import {
  ResponseOutputAssembler,
  type ResponseStreamEvent,
  type SequencedResponseStreamEvent,
} from './response-stream-events.ts';
import { outputOf } from './result-output.ts';
import { truncateConversation } from './truncate-conversation.ts';

/** A `POST /v1/responses` call: the validated body and the gateway call it becomes (without its request). */
export interface ResponseCall extends Omit<CachedChatCall, 'modelName' | 'request'> {
  body: ResponseCreateRequest;
}

export interface ResponseStreamHandlers {
  /** Called once, before the first event: every failure before it may still fall back. */
  onStart(model: ResolvedModel, route: RouteInfo, servedAs: ServedAs): void;
  /** Each event in order, numbered; a returned promise is awaited (backpressure). */
  onEvent(event: SequencedResponseStreamEvent): void | Promise<void>;
}

export interface StreamedResponse {
  response: ResponseObject;
  /** Null when the stream failed after it started (the events said so: `error`, `response.failed`). */
  outcome: ChatOutcome | null;
  error: PlatformError | null;
}

/** The Responses API over the chat gateway: admission, cache, routing and metering apply as for chat. */
export interface ResponseServices {
  /** One response; stored (with its input items) before this resolves when `store` is not false. */
  create(call: ResponseCall): Promise<{ response: ResponseObject; outcome: ChatOutcome }>;
  /**
   * Streams the semantic events; rejects only before the first event (the caller answers with a
   * plain HTTP error then). Stored before `response.completed` (or `.incomplete`, `.failed`) is sent.
   */
  stream(call: ResponseCall, handlers: ResponseStreamHandlers): Promise<StreamedResponse>;
  retrieve(caller: AuthContext, id: string): Promise<ResponseObject>;
  remove(caller: AuthContext, id: string): Promise<{ id: string; object: 'response'; deleted: true }>;
  listInputItems(caller: AuthContext, id: string, query: InputItemQuery): Promise<InputItemPage>;
  /** Deletes responses past their retention (every organisation); returns how many. */
  sweepExpired(limit?: number): Promise<number>;
}

export interface ResponseServiceDependencies {
  database: Database;
  chat: ChatGateway;
  clock: Clock;
  tokenizer: Tokenizer;
  settings: () => { retention_days: number; max_chain_length: number };
}

const dayMs = 86_400_000;

function responseNotFound(id: string, param: string | null): PlatformError {
  return errors.notFound(`The response '${id}'`, param);
}

export function createResponseServices(dependencies: ResponseServiceDependencies): ResponseServices {
  const { database, chat, clock } = dependencies;
  // why: row-level security backs every statement's organisation filter; only the sweep spans them.
  const databaseOf = (caller: AuthContext) => database.forOrganization(caller.organizationId);

  /** The earlier turns of `previous_response_id`, as messages; a 404 when it is not the caller's. */
  async function history(caller: AuthContext, body: ResponseCreateRequest): Promise<ChatMessage[]> {
    const previous = body.previous_response_id;
    if (!previous) return [];
    const maximum = dependencies.settings().max_chain_length;
    const turns = await findConversation(
      databaseOf(caller),
      caller.organizationId,
      previous,
      clock.now(),
      maximum,
    );
    if (turns.length === 0) throw responseNotFound(previous, 'previous_response_id');
    if (turns.length > maximum) {
      throw errors.invalidRequest(
        'previous_response_id',
        `The conversation ending at '${previous}' is longer than ${maximum} responses.`,
        'Start a new conversation that carries a summary, or raise responses.max_chain_length.',
      );
    }
    const items = turns.flatMap((turn) => [...turn.inputItems, ...turn.output]);
    return itemsToMessages(items, () => 'previous_response_id');
  }

  async function prepare(
    call: ResponseCall,
  ): Promise<{ gatewayCall: CachedChatCall; inputItems: StoredInputItem[] }> {
    const { body } = call;
    if (body.stream_options && !body.stream) {
      throw errors.invalidRequest(
        'stream_options',
        "'stream_options' is only allowed when 'stream' is true.",
      );
    }
    let request = toChatRequest(body, await history(call.context, body));
    const { body: _body, ...rest } = call;
    const gatewayCall: CachedChatCall = { ...rest, modelName: body.model, request };
    if (body.truncation === 'auto') {
      const candidates = chat
        .quote(gatewayCall)
        .routePlan.candidates.filter((candidate) => candidate.fallbackDepth === 0);
      const window = Math.min(...candidates.map((candidate) => candidate.model.descriptor.contextWindow));
      if (Number.isFinite(window)) request = truncateConversation(request, window, dependencies.tokenizer);
      gatewayCall.request = request;
    }
    return { gatewayCall, inputItems: identifyInputItems(body.input) };
  }

  async function save(
    caller: AuthContext,
    state: ResponseState,
    inputItems: StoredInputItem[],
  ): Promise<void> {
    if (!state.parameters.store) return;
    await insertResponse(databaseOf(caller), {
      organizationId: caller.organizationId,
      apiKeyId: caller.apiKeyId,
      state,
      inputItems,
      expiresAt: state.createdAt + dependencies.settings().retention_days * dayMs,
    });
  }

  return {
    async create(call) {
      const createdAt = clock.now();
      const { gatewayCall, inputItems } = await prepare(call);
      const outcome = await chat.complete(gatewayCall);
      const { output, finishReason } = outputOf(outcome.result);
      const finished = finishStatus(finishReason);
      const state: ResponseState = {
        id: newResponseId(),
        model: outcome.model.publicId,
        status: finished.status,
        createdAt,
        completedAt: clock.now(),
        parameters: echoParameters(call.body),
        output,
        usage: toResponseUsage(outcome.usage),
        error: null,
        incompleteDetails: finished.incompleteDetails,
      };
      await save(call.context, state, inputItems);
      return { response: toResponseObject(state), outcome };
    },

    async stream(call, handlers) {
      const createdAt = clock.now();
      const { gatewayCall, inputItems } = await prepare(call);
      const assembler = new ResponseOutputAssembler();
      const state: ResponseState = {
        id: newResponseId(),
        model: call.body.model,
        status: 'in_progress',
        createdAt,
        completedAt: null,
        parameters: echoParameters(call.body),
        output: assembler.output,
        usage: null,
        error: null,
        incompleteDetails: null,
      };
      let sequenceNumber = 0;
      let started = false;
      let finishReason: 'stop' | 'length' | 'tool_calls' | 'content_filter' = 'stop';
      const send = (events: ResponseStreamEvent[]): Promise<void> | undefined => {
        let pending: Promise<void> | undefined;
        for (const event of events) {
          const sent = handlers.onEvent({ ...event, sequence_number: sequenceNumber++ });
          if (sent) pending = sent;
        }
        return pending;
      };
      try {
        const outcome = await chat.stream(gatewayCall, {
          onStart(model, route, servedAs) {
            started = true;
            state.model = model.publicId;
            handlers.onStart(model, route, servedAs);
            const response = toResponseObject(state);
            send([
              { type: 'response.created', response },
              { type: 'response.in_progress', response },
            ]);
          },
          onPart(part) {
            if (part.type === 'finish' && part.choiceIndex === 0) finishReason = part.finishReason;
            return send(assembler.accept(part));
          },
        });
        send(assembler.finish(finishReason));
        const finished = finishStatus(finishReason);
        state.status = finished.status;
        state.incompleteDetails = finished.incompleteDetails;
        state.usage = toResponseUsage(outcome.usage);
        state.completedAt = clock.now();
        await save(call.context, state, inputItems);
        const response = toResponseObject(state);
        await send([
          { type: finished.status === 'completed' ? 'response.completed' : 'response.incomplete', response },
        ]);
        return { response, outcome, error: null };
      } catch (caught) {
        if (!started || call.signal.aborted || !isPlatformError(caught)) throw caught;
        state.status = 'failed';
        state.error = {
          code: caught.status === 429 ? 'rate_limit_exceeded' : 'server_error',
          message: caught.message,
        };
        state.output = assembler.output;
        await save(call.context, state, inputItems);
        const response = toResponseObject(state);
        await send([
          { type: 'error', code: caught.code, message: caught.message, param: caught.param },
          { type: 'response.failed', response },
        ]);
        return { response, outcome: null, error: caught };
      }
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
  };
}
