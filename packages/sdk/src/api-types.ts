import type { components, operations } from './generated/openapi.ts';

/**
 * The REST API's request and response bodies, as the server sends them (snake_case). Where the
 * OpenAPI document (docs/openapi.json) names a schema, the type is derived from the generated
 * types (src/generated/openapi.ts, `npm run generate -w @kimi/sdk`); the rest are written by hand
 * until the document describes their routes. Hand-written objects are open
 * (`[field: string]: unknown`) where the server may add fields.
 */

type Schemas = components['schemas'];

/** Who the key is (GET /v1/me). From the OpenAPI schema `Caller`. */
export type Me = Schemas['Caller'];
/** A model of GET /v1/models. From the OpenAPI schema `Model`. */
export type Model = Schemas['Model'];
/** A chat completion. From the OpenAPI schema `ChatCompletion`. */
export type ChatCompletion = Schemas['ChatCompletion'];
/** The answer of POST /v1/batch/chat/completions. From `BatchChatCompletion`. */
export type BatchChatResult = Schemas['BatchChatCompletion'];
/** The answer of POST /v1/embeddings. From the OpenAPI schema `EmbeddingList`. */
export type EmbeddingResponse = Schemas['EmbeddingList'];
/** A swarm template. From the OpenAPI schema `SwarmTemplate`. */
export type SwarmTemplate = Schemas['SwarmTemplate'];
/** A knowledge base. From the OpenAPI schema `KnowledgeBase`. */
export type KnowledgeBase = Schemas['KnowledgeBase'];
/** A document of a knowledge base. From `KnowledgeDocument`. */
export type KnowledgeDocument = Schemas['KnowledgeDocument'];
/** Search hits. From the OpenAPI schema `KnowledgeSearchResult`. */
export type KnowledgeSearchResult = Schemas['KnowledgeSearchResult'];
/** GET /v1/usage. From the OpenAPI schema `UsageAggregate`. */
export type UsageReport = Schemas['UsageAggregate'];
/** The audit chain's verification. From `AuditVerification`. */
export type AuditVerification = Schemas['AuditVerification'];
/** An organisation. From the OpenAPI schema `Organization`. */
export type Organization = Schemas['Organization'];
/**
 * A swarm run: the summary (create, list, cancel, approve: `SwarmRunSummary`) and, from
 * GET /v1/swarms/{id}, its plan, agents, steps, pending approvals and result (`SwarmRun`).
 */
export type Swarm = Schemas['SwarmRunSummary'] &
  Partial<Omit<Schemas['SwarmRun'], keyof Schemas['SwarmRunSummary']>>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ListEnvelope<Item> {
  object: 'list';
  data: Item[];
  has_more?: boolean;
  next_cursor?: string | null;
  [field: string]: unknown;
}

// Chat (OpenAI-shaped)

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string | null | Array<{ type: string; [field: string]: unknown }>;
  name?: string;
  tool_call_id?: string;
  tool_calls?: ToolCall[];
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters?: object } }>;
  tool_choice?: unknown;
  response_format?: unknown;
  user?: string;
  seed?: number;
  n?: number;
  [field: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [field: string]: unknown;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: string; content?: string | null; tool_calls?: unknown[]; [field: string]: unknown };
    finish_reason: string | null;
  }>;
  usage?: Usage | null;
  [field: string]: unknown;
}

export interface BatchChatItemSuccess {
  index: number;
  request_id: string;
  status: 200;
  cost_usd: string;
  response: ChatCompletion;
}

export interface BatchChatItemFailure {
  index: number;
  request_id: string;
  status: number;
  error: { message: string; type: string; code: string; param: string | null; hint?: string };
}

// Embeddings

export interface EmbeddingRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
  user?: string;
}

// Swarms

export type SwarmStatus =
  | 'queued'
  | 'running'
  | 'awaiting_approval'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'timed_out'
  | 'budget_exhausted';

export interface CreateSwarmRequest {
  task: string;
  template?: string;
  agents?: Array<{
    role: string;
    instructions: string;
    model?: string;
    tools?: string[];
    [field: string]: unknown;
  }>;
  model?: string;
  max_agents?: number;
  max_parallel?: number;
  max_iterations?: number;
  max_output_tokens?: number;
  budget_usd?: number;
  timeout_s?: number;
  knowledge_bases?: string[];
}

export interface SwarmListQuery {
  status?: SwarmStatus;
  limit?: number;
  after?: string;
}

export type SwarmEventType =
  | 'run-start'
  | 'plan-ready'
  | 'agent-start'
  | 'text-delta'
  | 'tool-call-start'
  | 'tool-call-end'
  | 'agent-end'
  | 'synthesis-delta'
  | 'run-end'
  | 'run-error';

export interface SwarmEvent {
  run_id: string;
  sequence: number;
  type: SwarmEventType;
  data: unknown;
  created_at: string;
}

export interface SwarmApproval {
  /** The step awaiting approval (`pending_approvals[].step_id`); `approval_id` is an alias. */
  step_id?: string;
  approval_id?: string;
  decision: 'approve' | 'accept' | 'reject';
  reason?: string;
}

// Knowledge bases

export interface KnowledgeBaseCreate {
  name: string;
  description?: string;
  embedding_model?: string;
  [field: string]: unknown;
}

export interface UploadResult {
  object?: string;
  data: KnowledgeDocument[];
  [field: string]: unknown;
}

export interface DocumentEvent {
  document_id: string;
  knowledge_base_id: string;
  sequence: number;
  type: 'document.queued' | 'document.progress' | 'document.ready' | 'document.failed' | string;
  data: { [field: string]: unknown } | null;
  created_at: number;
}

export interface KnowledgeSearchRequest {
  query: string;
  top_k?: number;
  mode?: 'hybrid' | 'vector' | 'keyword' | string;
  [field: string]: unknown;
}

// Usage, audit, health

export interface UsageQuery {
  from?: string;
  to?: string;
  group_by?: 'model' | 'key' | 'team' | 'day';
}

export interface AuditQuery {
  from?: string;
  to?: string;
  action?: string;
  actor_id?: string;
  target_type?: string;
  target_id?: string;
  organization_id?: string;
  limit?: number;
  after?: string;
}

export interface HealthStatus {
  live: boolean;
  ready: boolean;
  details: { live: unknown; ready: unknown };
}

// Admin

/** An API key as the admin API shows it (never its secret). From the OpenAPI schema `ApiKey`. */
export type ApiKey = Schemas['ApiKey'];
/** A page of API keys. From the OpenAPI schema `ApiKeyList`. */
export type ApiKeyList = Schemas['ApiKeyList'];
/** The body of POST /v1/admin/organizations/{id}/keys (operation `createApiKey`). */
export type ApiKeyCreate = operations['createApiKey']['requestBody']['content']['application/json'];
/** A new key with its secret, shown once. From the OpenAPI schema `ApiKeyWithSecret`. */
export type ApiKeyWithSecret = Schemas['ApiKeyWithSecret'];
/** A rotated key: the new secret, and until when the old one works. From `RotatedApiKey`. */
export type RotatedApiKey = Schemas['RotatedApiKey'];
/** The documented error body. From the OpenAPI schema `Error`. */
export type ErrorResponseBody = Schemas['Error'];

export interface RateLimitsChange {
  requests_per_minute?: number | null;
  tokens_per_minute?: number | null;
  concurrent_requests?: number | null;
}

/** A body the SDK passes through as the REST API documents it. */
export type ApiObject = { [field: string]: unknown };
