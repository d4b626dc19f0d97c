import type { JsonSchema } from './json-schema.ts';
import type { UpstreamFetch } from './upstream.ts';

/**
 * The internal chat model interface. Ingress formats (OpenAI, Anthropic) convert into it and
 * provider adapters convert out of it, so every provider sees one request shape.
 */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; url: string; detail?: 'auto' | 'low' | 'high' };

export interface SystemMessage {
  role: 'system';
  content: string;
}

export interface UserMessage {
  role: 'user';
  content: string | ContentPart[];
  name?: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | null;
  toolCalls?: ToolCall[];
  name?: string;
  /**
   * The reasoning the model gave before this turn, sent back as it came: Anthropic requires the
   * signed thinking of a tool-use turn to return with it; other providers drop it.
   */
  reasoning?: ReasoningBlock[];
}

export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  content: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as a JSON text, exactly as the model produced them. */
  arguments: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: JsonSchema;
  strict?: boolean;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonSchema; strict?: boolean; description?: string };

export interface ChatRequest {
  /** The provider's own model id, without the `provider/` prefix. */
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  user?: string;
  /** Number of choices to generate; default 1. */
  n?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** How much the model should reason first, where it can (see `reasoning.ts`); others ignore it. */
  reasoning?: ReasoningRequest;
  /** Data for one provider family only, carried untouched to its adapter; other providers ignore it. */
  passthrough?: ProviderPassthrough;
  /**
   * Set when part of the request only some providers can serve (say a PDF, which only Anthropic
   * reads natively): routing keeps to their deployments, and refuses naming `param` if there are none.
   */
  servableBy?: ProviderRequirement;
}

/** OpenAI's reasoning efforts (`xhigh` as GPT-5 models take it). */
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

/**
 * A request for reasoning as the caller expressed it: an OpenAI-style effort, an Anthropic-style
 * token budget, or both. Each adapter derives the form its provider takes from whichever is set.
 */
export interface ReasoningRequest {
  effort?: ReasoningEffort;
  budgetTokens?: number;
}

export interface ProviderRequirement {
  providers: readonly string[];
  param: string;
  reason: string;
}

/**
 * What an ingress received in a provider's own wire format, kept for that provider: its adapter
 * forwards it natively, every other adapter serves the fields above and drops it.
 */
export interface ProviderPassthrough {
  anthropic?: AnthropicPassthrough;
  openaiResponses?: OpenAIResponsesPassthrough;
}

/**
 * Set by the Responses API: providers with OpenAI's own Responses endpoint (OpenAI, Azure OpenAI)
 * are then called there natively — the request above as Responses input, plus these fields it
 * does not model (`text.verbosity`, `reasoning.summary`, `prompt_cache_key`, `truncation`, …).
 * Other providers serve the request above and ignore them.
 */
export interface OpenAIResponsesPassthrough {
  fields: Readonly<Record<string, unknown>>;
}

export interface AnthropicPassthrough {
  /** `anthropic-version` and `anthropic-beta`, as received. */
  headers: Readonly<Record<string, string>>;
  /**
   * The Messages body as received (unknown fields, `cache_control`, `thinking`, `top_k`, thinking
   * blocks with their signatures): an Anthropic model is sent this, with its own model id.
   */
  body?: Readonly<Record<string, unknown>>;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the provider's prompt cache (billed at the cached price). */
  cachedPromptTokens: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic bills them above the input price). */
  cacheWritePromptTokens?: number;
  /** The part of the cache writes kept for one hour (Anthropic bills them above the 5-minute writes). */
  cacheWriteOneHourPromptTokens?: number;
}

/**
 * A model's reasoning as its provider returned it. The signature (and redacted data) is opaque
 * text that the provider verifies when the block is sent back, so it is kept byte for byte.
 */
export type ReasoningBlock =
  | {
      type: 'thinking';
      text: string;
      signature?: string;
      /** Who signed it, when not Anthropic: a signature verifies only at its own provider. */
      provider?: string;
      /** The provider's id of the reasoning item (OpenAI needs it with the encrypted content). */
      itemId?: string;
    }
  | { type: 'redacted'; data: string };

export interface ChatChoice {
  index: number;
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Reasoning that came before the answer, when the provider returns it. */
  reasoning?: ReasoningBlock[];
}

export interface ChatResult {
  /** The provider's response id, when it gives one. */
  providerResponseId?: string;
  /** The model id the provider reports having served. */
  model: string;
  choices: ChatChoice[];
  /** Null when the provider reported no usage; the gateway then counts tokens itself. */
  usage: TokenUsage | null;
}

/** Stream parts are noun-verb and carry the choice they belong to. */
export type ChatStreamPart =
  | { type: 'text-delta'; choiceIndex: number; delta: string }
  | { type: 'tool-call-start'; choiceIndex: number; toolCallIndex: number; id: string; name: string }
  | { type: 'tool-call-delta'; choiceIndex: number; toolCallIndex: number; argumentsDelta: string }
  | { type: 'tool-call-end'; choiceIndex: number; toolCallIndex: number }
  | { type: 'reasoning-delta'; choiceIndex: number; delta: string }
  /** Ends a reasoning block with its signature (and, when not Anthropic's, who signed it). */
  | {
      type: 'reasoning-signature';
      choiceIndex: number;
      signature: string;
      provider?: string;
      itemId?: string;
    }
  /** A whole reasoning block the provider returned encrypted. */
  | { type: 'reasoning-redacted'; choiceIndex: number; data: string }
  | { type: 'finish'; choiceIndex: number; finishReason: FinishReason }
  | { type: 'usage'; usage: TokenUsage };

/** Credentials for one call, overriding the provider's configured ones (per-organisation keys). */
export interface CallCredentials {
  apiKey: string;
  /** Overrides the provider's base URL (e.g. an organisation's own Azure resource). */
  baseUrl?: string;
  /**
   * How to reach `baseUrl` instead of the provider's own client: the platform passes one that
   * refuses non-public addresses, since the organisation, not the operator, chose that URL.
   */
  fetch?: UpstreamFetch;
}

export interface CallOptions {
  /** Aborts the upstream call (client went away, timeout). */
  signal?: AbortSignal;
  /** Our request id, forwarded to providers that accept one. */
  requestId: string;
  /** Read when the call is made, never cached by the adapter. */
  credentials?: CallCredentials;
  /** W3C `traceparent`/`tracestate` of the provider call's span, sent upstream as they are. */
  traceHeaders?: Readonly<Record<string, string>>;
}

export interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  /** Resolves with the whole answer; rejects with a PlatformError. */
  generate(request: ChatRequest, options: CallOptions): Promise<ChatResult>;
  /** Yields parts as they arrive; throws a PlatformError from the iterator on failure. */
  stream(request: ChatRequest, options: CallOptions): AsyncIterable<ChatStreamPart>;
  /** The prompt's input tokens as the provider counts them, where it offers a counting endpoint. */
  countTokens?(request: ChatRequest, options: CallOptions): Promise<number>;
}
