import type { FinishReason, TokenUsage } from '../../model/index.ts';
import type { KnowledgeCitation } from '../knowledge/index.ts';
import type { ResponseCreateRequest, ResponseInputItem, ResponseTextFormat } from './response-request.ts';

/** The Responses API's wire objects, as OpenAI documents them (and the `openai` client types them). */

export interface OutputTextPart {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

export interface OutputMessageItem {
  id: string;
  type: 'message';
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: OutputTextPart[];
}

export interface FunctionCallItem {
  id: string;
  type: 'function_call';
  status: 'in_progress' | 'completed' | 'incomplete';
  call_id: string;
  name: string;
  arguments: string;
}

export interface SummaryTextPart {
  type: 'summary_text';
  text: string;
}

/**
 * A model's reasoning. `summary` holds its readable text; `encrypted_content` the opaque form a
 * provider needs back to continue from it (Anthropic's signed thinking), given whether or not
 * `include` asked for it, so stateless clients can send it back (see `reasoning-items.ts`).
 */
export interface ReasoningItem {
  id: string;
  type: 'reasoning';
  summary: SummaryTextPart[];
  encrypted_content: string | null;
  status?: 'in_progress' | 'completed' | 'incomplete';
}

export type OutputItem = OutputMessageItem | FunctionCallItem | ReasoningItem;

/** An input item as stored and listed by `input_items`: every item has an id and a status. */
export type StoredInputItem = ResponseInputItem & {
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
};

export type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'incomplete' | 'failed' | 'cancelled';

/** The statuses a response never leaves. */
export const finishedStatuses: readonly ResponseStatus[] = ['completed', 'incomplete', 'failed', 'cancelled'];

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponseFailure {
  code: string;
  message: string;
}

export interface IncompleteDetails {
  reason: 'max_output_tokens' | 'content_filter';
}

/** The request's parameters as the response object echoes them (OpenAI's defaults filled in). */
export interface ResponseParameters {
  /** Absent on rows stored before background responses existed (read as false). */
  background?: boolean;
  /** The conversation the response belongs to; absent on rows stored before conversations. */
  conversation?: { id: string } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  metadata: Record<string, string>;
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  prompt_cache_key: string | null;
  reasoning: { effort: string | null; summary: string | null };
  safety_identifier: string | null;
  service_tier: string;
  store: boolean;
  temperature: number;
  text: { format: ResponseTextFormat; verbosity: string };
  tool_choice: NonNullable<ResponseCreateRequest['tool_choice']>;
  tools: Array<{
    type: 'function';
    name: string;
    description: string | null;
    parameters: Record<string, unknown> | null;
    strict: boolean | null;
  }>;
  top_p: number;
  truncation: 'auto' | 'disabled';
  user: string | null;
  /** `kimi.knowledge_bases`: the bases searched and, once retrieved, the passages the answer may cite. */
  kimi?: ResponseKnowledge;
}

/** The `kimi` extension of a response grounded in knowledge bases. */
export interface ResponseKnowledge {
  knowledge_bases: string[];
  knowledge_top_k: number;
  citations: KnowledgeCitation[];
}

export interface ResponseObject
  extends Omit<ResponseParameters, 'instructions' | 'background' | 'conversation'> {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  background: boolean;
  conversation: { id: string } | null;
  completed_at: number | null;
  error: ResponseFailure | null;
  incomplete_details: IncompleteDetails | null;
  instructions: string | null;
  max_tool_calls: null;
  model: string;
  output: OutputItem[];
  /** The text of every output message, joined: what the `openai` client exposes as `output_text`. */
  output_text: string;
  top_logprobs: 0;
  usage: ResponseUsage | null;
}

/** The state of one response that the object is built from (stored, or in flight). */
export interface ResponseState {
  id: string;
  model: string;
  status: ResponseStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  completedAt: number | null;
  parameters: ResponseParameters;
  output: OutputItem[];
  usage: ResponseUsage | null;
  error: ResponseFailure | null;
  incompleteDetails: IncompleteDetails | null;
}

/** The `conversation` parameter (an id or `{ id }`) as the response object echoes it. */
export function conversationOf(body: ResponseCreateRequest): { id: string } | null {
  const conversation = body.conversation;
  if (conversation === undefined || conversation === null) return null;
  return { id: typeof conversation === 'string' ? conversation : conversation.id };
}

export function echoParameters(body: ResponseCreateRequest): ResponseParameters {
  return {
    background: body.background ?? false,
    conversation: conversationOf(body),
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    safety_identifier: body.safety_identifier ?? null,
    service_tier: body.service_tier ?? 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' }, verbosity: body.text?.verbosity ?? 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: (body.tools ?? []).map((tool) => ({
      type: 'function' as const,
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    })),
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    user: body.user ?? null,
    ...(body.kimi
      ? {
          kimi: {
            knowledge_bases: body.kimi.knowledge_bases,
            knowledge_top_k: body.kimi.knowledge_top_k,
            citations: [],
          },
        }
      : {}),
  };
}

/** The parameters with the citations retrieval found (the request's, when it named no knowledge base). */
export function withCitations(
  parameters: ResponseParameters,
  citations: KnowledgeCitation[] | null,
): ResponseParameters {
  return parameters.kimi && citations
    ? { ...parameters, kimi: { ...parameters.kimi, citations } }
    : parameters;
}

export function toResponseUsage(usage: TokenUsage): ResponseUsage {
  return {
    input_tokens: usage.promptTokens,
    input_tokens_details: { cached_tokens: usage.cachedPromptTokens },
    output_tokens: usage.completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
}

/** How a finished generation ends the response: `length` and `content_filter` leave it incomplete. */
export function finishStatus(reason: FinishReason): {
  status: 'completed' | 'incomplete';
  incompleteDetails: IncompleteDetails | null;
} {
  if (reason === 'length')
    return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
  if (reason === 'content_filter')
    return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
  return { status: 'completed', incompleteDetails: null };
}

export function outputText(output: readonly OutputItem[]): string {
  let text = '';
  for (const item of output) {
    if (item.type !== 'message') continue;
    for (const part of item.content) text += part.text;
  }
  return text;
}

/** The `response` object, fields in OpenAI's order. */
export function toResponseObject(state: ResponseState): ResponseObject {
  const parameters = state.parameters;
  return {
    id: state.id,
    object: 'response',
    created_at: Math.floor(state.createdAt / 1000),
    status: state.status,
    background: parameters.background ?? false,
    conversation: parameters.conversation ?? null,
    completed_at: state.completedAt === null ? null : Math.floor(state.completedAt / 1000),
    error: state.error,
    incomplete_details: state.incompleteDetails,
    instructions: parameters.instructions,
    max_output_tokens: parameters.max_output_tokens,
    max_tool_calls: null,
    model: state.model,
    output: state.output,
    output_text: outputText(state.output),
    parallel_tool_calls: parameters.parallel_tool_calls,
    previous_response_id: parameters.previous_response_id,
    prompt_cache_key: parameters.prompt_cache_key,
    reasoning: parameters.reasoning,
    safety_identifier: parameters.safety_identifier,
    service_tier: parameters.service_tier,
    store: parameters.store,
    temperature: parameters.temperature,
    text: parameters.text,
    tool_choice: parameters.tool_choice,
    tools: parameters.tools,
    top_logprobs: 0,
    top_p: parameters.top_p,
    truncation: parameters.truncation,
    usage: state.usage,
    user: parameters.user,
    metadata: parameters.metadata,
    // Only on responses grounded in knowledge bases: the passages the answer cites as [n].
    ...(parameters.kimi ? { kimi: parameters.kimi } : {}),
  };
}
