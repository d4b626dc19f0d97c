/**
 * The part of the SDK's `Kimi` client the CLI calls, with the fields of each answer it reads
 * (the REST API's snake_case JSON). `Kimi` satisfies it structurally; commands depend on this
 * narrow view so that each one states what it relies on.
 */

export interface MeAnswer {
  organization_id: string | null;
  role: string;
  principal?: unknown;
  api_key?: { id: string | null; name: string | null } | null;
}

export interface ModelAnswer {
  id: string;
  owned_by: string;
  kimi?: {
    kind?: string;
    simulated?: boolean;
    context_window?: number | null;
    alias_for?: string;
    pricing?: { input: string; output: string } | null;
  };
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number;
  temperature?: number;
}

export interface ChatCompletionAnswer {
  id: string;
  model: string;
  choices: Array<{ message: { content: string | null }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

export interface ChatChunkAnswer {
  id: string;
  model: string;
  choices: Array<{ delta: { content?: string | null }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

export interface ChatStreamLike extends AsyncIterable<ChatChunkAnswer> {}

export interface SwarmAgentAnswer {
  id: string;
  role: string;
  status: string;
  usage: { prompt_tokens: number; completion_tokens: number; cost_usd: string };
  steps: Array<{ id: string; kind: string; status: string }>;
}

export interface SwarmAnswer {
  id: string;
  status: string;
  task: string;
  template: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; cost_usd: string };
  error?: unknown;
  created_at: string | null;
  finished_at: string | null;
  agents?: SwarmAgentAnswer[];
  pending_approvals?: Array<{ step_id: string; agent_id: string | null; input: unknown }>;
  result?: unknown;
}

export interface SwarmEventAnswer {
  sequence: number;
  type: string;
  data: Record<string, unknown>;
  created_at?: string;
}

export interface SwarmCreateRequest {
  task: string;
  template?: string;
  model?: string;
  budget_usd?: number;
  max_agents?: number;
  knowledge_bases?: string[];
}

export interface SwarmTemplateAnswer {
  name: string;
  description?: string | null;
  agents?: unknown[];
}

export interface ListAnswer<Item> {
  data: Item[];
  has_more?: boolean;
}

export interface KnowledgeBaseAnswer {
  id: string;
  name: string;
  embedding_model?: string;
  document_count?: number;
  chunk_count?: number;
  /** Seconds since the epoch. */
  created_at?: number;
}

export interface DocumentAnswer {
  id: string;
  status: string;
  title?: string | null;
  chunk_count?: number | null;
  chunks_embedded?: number | null;
  error?: { code: string; message: string } | null;
}

export interface UploadProgress {
  loadedBytes: number;
  totalBytes: number;
  phase: 'upload' | 'ingest';
}

export interface SearchHitAnswer {
  document_id: string;
  title?: string | null;
  text: string;
  score: number;
}

export interface ApiKeyAnswer {
  id: string;
  name: string;
  role: string;
  display_prefix: string;
  scopes?: string[] | null;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
  secret?: string;
  previous_secret_valid_until?: string | null;
}

export interface UsageRowAnswer {
  group: string;
  requests: number;
  failed_requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cost_usd: string;
}

export interface UsageAnswer {
  from: string;
  to: string;
  group_by: string;
  data: UsageRowAnswer[];
  totals: Omit<UsageRowAnswer, 'group'>;
}

export interface AuditVerifyAnswer {
  valid: boolean;
  entries: number;
  first_broken: unknown;
}

export interface UsageQuery {
  from?: string;
  to?: string;
  group_by?: 'model' | 'key' | 'team' | 'day';
}

export interface KimiClient {
  me(): Promise<MeAnswer>;
  models: { list(): Promise<ModelAnswer[]> };
  chat: {
    create(request: ChatRequest): Promise<ChatCompletionAnswer>;
    stream(request: ChatRequest): ChatStreamLike;
  };
  swarms: {
    create(request: SwarmCreateRequest): Promise<SwarmAnswer>;
    get(id: string): Promise<SwarmAnswer>;
    list(query?: { status?: string; limit?: number }): Promise<ListAnswer<SwarmAnswer> | SwarmAnswer[]>;
    cancel(id: string): Promise<SwarmAnswer>;
    approve(
      id: string,
      body: { approval_id?: string; decision: 'approve' | 'reject'; reason?: string },
    ): Promise<unknown>;
    watch(id: string, options?: { after?: number; signal?: AbortSignal }): AsyncIterable<SwarmEventAnswer>;
    templates: { list(): Promise<ListAnswer<SwarmTemplateAnswer> | SwarmTemplateAnswer[]> };
  };
  knowledgeBases: {
    create(body: { name: string; embedding_model?: string }): Promise<KnowledgeBaseAnswer>;
    list(): Promise<ListAnswer<KnowledgeBaseAnswer> | KnowledgeBaseAnswer[]>;
    upload(
      id: string,
      file: { name: string; data: Uint8Array; contentType?: string },
      options?: { onProgress?: (progress: UploadProgress) => void; wait?: boolean },
    ): Promise<DocumentAnswer>;
    search(
      id: string,
      body: { query: string; top_k?: number; mode?: 'hybrid' | 'vector' | 'keyword' },
    ): Promise<ListAnswer<SearchHitAnswer> | SearchHitAnswer[]>;
  };
  usage: { get(query?: UsageQuery): Promise<UsageAnswer> };
  audit: { verify(): Promise<AuditVerifyAnswer> };
  admin: {
    keys: {
      create(
        organizationId: string,
        body: { name: string; role?: string; scopes?: string[]; expires_at?: string },
      ): Promise<ApiKeyAnswer>;
      list(
        organizationId: string,
        query?: { include_revoked?: boolean },
      ): Promise<ListAnswer<ApiKeyAnswer> | ApiKeyAnswer[]>;
      revoke(organizationId: string, keyId: string): Promise<unknown>;
      rotate(
        organizationId: string,
        keyId: string,
        body?: { grace_period_seconds?: number },
      ): Promise<ApiKeyAnswer>;
    };
  };
}

/** Lists come back as arrays or as `{ data: [...] }` envelopes; commands read both the same. */
export function itemsOf<Item>(list: ListAnswer<Item> | Item[]): Item[] {
  return Array.isArray(list) ? list : list.data;
}

export interface ClientOptions {
  apiKey: string;
  baseUrl: string;
  organizationId?: string;
  timeoutMs?: number;
  maxRetries?: number;
}

export type ClientFactory = (options: ClientOptions) => KimiClient;
