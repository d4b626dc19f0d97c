import { errors } from '../../errors/index.ts';
import type { CachedChatCall, ChatGateway } from '../../gateway/index.ts';
import type { ChatMessage } from '../../model/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock, Tokenizer } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { groundChatRequest, type KnowledgeCitation, type KnowledgeRetrieval } from '../knowledge/index.ts';
import { allConversationItems, findConversationRecord } from './conversation-repository.ts';
import { conversationNotFound } from './conversation-services.ts';
import { itemsToMessages, toChatRequest } from './convert-response-input.ts';
import { identifyInputItems } from './response-identifiers.ts';
import { conversationOf, type StoredInputItem } from './response-object.ts';
import { findConversation } from './response-repository.ts';
import type { ResponseCreateRequest } from './response-request.ts';
import { truncateConversation } from './truncate-conversation.ts';

/** A `POST /v1/responses` call: the validated body and the gateway call it becomes (without its request). */
export interface ResponseCall extends Omit<CachedChatCall, 'modelName' | 'request'> {
  body: ResponseCreateRequest;
}

export interface PreparationDependencies {
  database: Database;
  chat: ChatGateway;
  clock: Clock;
  tokenizer: Tokenizer;
  settings: () => { retention_days: number; max_chain_length: number };
  /** Retrieval for `kimi.knowledge_bases`; without it, naming a knowledge base is a 404. */
  knowledge?: KnowledgeRetrieval;
}

/** A response call made ready for the gateway: its chat request and its input items as stored. */
export interface PreparedResponse {
  gatewayCall: CachedChatCall;
  inputItems: StoredInputItem[];
  /** The conversation the response continues and is appended to, or null. */
  conversationId: string | null;
  /** The passages injected for `kimi.knowledge_bases`, or null when the request named none (or only checked them). */
  citations: KnowledgeCitation[] | null;
}

/**
 * What preparation does with `kimi.knowledge_bases`: `retrieve` (search and inject the passages)
 * or `check` (only that every base is the caller's — a background response retrieves when it runs).
 */
export type KnowledgePreparation = 'retrieve' | 'check';

/** The checks of a body that need no store: combinations OpenAI refuses. */
export function checkResponseBody(body: ResponseCreateRequest): void {
  if (body.stream_options && !body.stream) {
    throw errors.invalidRequest('stream_options', "'stream_options' is only allowed when 'stream' is true.");
  }
  if (body.background && body.store === false) {
    throw errors.invalidRequest(
      'store',
      "Background responses must be stored: 'background' requires 'store' to be true or omitted.",
    );
  }
  if (conversationOf(body) && body.previous_response_id) {
    throw errors.invalidRequest(
      'conversation',
      "'conversation' and 'previous_response_id' cannot be used together.",
      'Continue a conversation by its id, or chain responses by previous_response_id, not both.',
    );
  }
}

/** The earlier turns, as messages: the conversation's items, or the `previous_response_id` chain. */
async function history(
  dependencies: PreparationDependencies,
  caller: AuthContext,
  body: ResponseCreateRequest,
): Promise<ChatMessage[]> {
  const database = dependencies.database.forOrganization(caller.organizationId);
  const conversation = conversationOf(body);
  if (conversation) {
    const record = await findConversationRecord(database, caller.organizationId, conversation.id);
    if (!record) throw conversationNotFound(conversation.id, 'conversation');
    const items = await allConversationItems(database, caller.organizationId, conversation.id);
    return itemsToMessages(items, () => 'conversation');
  }
  const previous = body.previous_response_id;
  if (!previous) return [];
  const maximum = dependencies.settings().max_chain_length;
  const turns = await findConversation(
    database,
    caller.organizationId,
    previous,
    dependencies.clock.now(),
    maximum,
  );
  if (turns.length === 0) throw errors.notFound(`The response '${previous}'`, 'previous_response_id');
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

/** Checks the body, rebuilds the history and sizes the request (`truncation: "auto"`). */
export async function prepareResponse(
  dependencies: PreparationDependencies,
  call: ResponseCall,
  inputItems: StoredInputItem[] = identifyInputItems(call.body.input),
  knowledge: KnowledgePreparation = 'retrieve',
): Promise<PreparedResponse> {
  const { body } = call;
  checkResponseBody(body);
  let request = toChatRequest(body, await history(dependencies, call.context, body));
  let citations: KnowledgeCitation[] | null = null;
  if (body.kimi) {
    const retrieval = dependencies.knowledge;
    if (!retrieval) {
      throw errors.notFound(
        `The knowledge base '${body.kimi.knowledge_bases[0]}'`,
        'kimi.knowledge_bases[0]',
      );
    }
    if (knowledge === 'check') {
      await retrieval.checkKnowledgeBases(call.context, body.kimi.knowledge_bases, 'kimi.knowledge_bases');
    } else {
      const grounded = await groundChatRequest(retrieval, call.context, call, request, body.kimi);
      request = grounded.request;
      citations = grounded.citations;
    }
  }
  const { body: _body, ...rest } = call;
  const gatewayCall: CachedChatCall = { ...rest, modelName: body.model, request };
  if (body.truncation === 'auto') {
    const candidates = dependencies.chat
      .quote(gatewayCall)
      .routePlan.candidates.filter((candidate) => candidate.fallbackDepth === 0);
    const window = Math.min(...candidates.map((candidate) => candidate.model.descriptor.contextWindow));
    if (Number.isFinite(window)) request = truncateConversation(request, window, dependencies.tokenizer);
    gatewayCall.request = request;
  }
  return { gatewayCall, inputItems, conversationId: conversationOf(body)?.id ?? null, citations };
}
