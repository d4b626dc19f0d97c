/**
 * The probe table behind the route-probe suites: every route the app registers has a case saying
 * who may call it, a valid request to mutate, and how it treats another organisation. A route
 * without a case fails the suites, so a route added later cannot go unprobed.
 */

import { graphqlRouteCases } from './graphql-probe-cases.ts';

/** `METHOD /url/:pattern`, as the app registered it. */
export type RouteKey = string;

export interface ProbeTenant {
  label: string;
  organizationId: string;
  organizationName: string;
  admin: string;
  adminKeyId: string;
  member: string;
  memberKeyId: string;
  budgetId: string;
  toolName: string;
  serverName: string;
  templateName: string;
  runId: string;
  /** A stored response (`POST /v1/responses`). */
  responseId: string;
  /** A conversation (`POST /v1/conversations`) and the id of its first item. */
  conversationId: string;
  conversationItemId: string;
  /** A `batch` input file, a batch of it, and a message batch. */
  fileId: string;
  batchId: string;
  messageBatchId: string;
  /** A knowledge base (`POST /v1/knowledge-bases`) and one of its documents. */
  knowledgeBaseId: string;
  knowledgeDocumentId: string;
  webhookUrl: string;
  providerKey: string;
  providerBaseUrl: string;
  endUser: string;
  /** A person who accepted an invitation: a member of the organisation. */
  userId: string;
  userEmail: string;
  teamId: string;
  teamName: string;
  /** A pending invitation, and the token of another one (for the accept route). */
  invitationId: string;
  invitationToken: string;
}

/** A request the probes send. */
export interface ProbeRequest {
  method: string;
  /** Path and query. */
  url: string;
  secret?: string;
  /** Sent as is (a string) or as JSON. */
  payload?: string | Record<string, unknown> | unknown[];
  headers?: Record<string, string>;
}

/** The key a route needs to get past permissions, so bad input reaches validation. */
export type ProbeCaller = 'none' | 'member' | 'admin' | 'platform';

/**
 * How a key of another organisation is treated. `scoped`: the path names an organisation's
 * resource; another organisation's key gets 403 or 404. `own`: the route acts on the caller's
 * organisation. `global`: no tenant's data. `platform`: only the platform admin may call it.
 */
export type Tenancy = 'scoped' | 'own' | 'global' | 'platform';

export interface CrossTenantVariant {
  /** What the variant tries. */
  label: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** `refused`: a 4xx; `ignored`: any non-5xx that reveals nothing of the victim. */
  expect: 'refused' | 'ignored';
}

export interface RouteCase {
  caller: ProbeCaller;
  tenancy: Tenancy;
  /** A valid body for a tenant's own resources (routes that take one). */
  body?: (tenant: ProbeTenant) => Record<string, unknown>;
  /** A valid query string. */
  query?: Record<string, string>;
  /** Streams (SSE) or upgrades: probed over real HTTP, each request bounded in time. */
  streaming?: boolean;
  /** Errors in Anthropic's shape (`/v1/messages`). */
  errorFormat?: 'anthropic';
  /** Requests of an `own` route that name the victim's resources in the body or query. */
  crossTenant?: (victim: ProbeTenant) => CrossTenantVariant[];
}

export const chatBody = () => ({
  model: 'sim/fast',
  messages: [{ role: 'user', content: 'Say hello.' }],
  max_tokens: 16,
  user: 'probe-user',
});

const templateBody = (tenant: ProbeTenant) => ({
  description: 'A probe template.',
  agents: [{ role: 'writer', instructions: 'Write it.', tools: [tenant.toolName] }],
  synthesis_instructions: 'Summarise.',
});

/** Every route of the app: the table the suites walk. */
export const routeCases: Record<RouteKey, RouteCase> = {
  'GET /healthz': { caller: 'none', tenancy: 'global' },
  'GET /readyz': { caller: 'none', tenancy: 'global' },
  'GET /metrics': { caller: 'none', tenancy: 'global' },
  'GET /openapi.json': { caller: 'none', tenancy: 'global' },
  'GET /docs': { caller: 'none', tenancy: 'global' },
  'GET /docs/assets/:file': { caller: 'none', tenancy: 'global' },
  'POST /v1/invitations/accept': {
    caller: 'none',
    tenancy: 'global',
    body: (tenant) => ({ token: tenant.invitationToken, name: 'Probe Person' }),
  },
  'GET /v1/me': { caller: 'member', tenancy: 'own' },
  // Starting a sign-in is open to anyone for any organisation (it reveals nothing but the provider's URL).
  'GET /v1/auth/sso/:organizationId/start': {
    caller: 'none',
    tenancy: 'global',
    query: { return_to: '/dashboard' },
  },
  'GET /v1/auth/sso/callback': {
    caller: 'none',
    tenancy: 'global',
    query: { state: 'probe', code: 'probe' },
  },
  'POST /v1/auth/refresh': { caller: 'none', tenancy: 'global' },
  'POST /v1/auth/sign-out': { caller: 'none', tenancy: 'global' },
  'GET /v1/admin/organizations/:organizationId/sso': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/sso': {
    caller: 'admin',
    tenancy: 'scoped',
    body: (tenant) => ({
      issuer: 'https://login.example.public.test/v2.0',
      client_id: `probe-${tenant.label}`,
      client_secret: 'probe-client-secret',
      redirect_uri: 'https://kimi.example.public.test/v1/auth/sso/callback',
      role_mapping: { engineers: 'developer' },
    }),
  },
  'DELETE /v1/admin/organizations/:organizationId/sso': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/admin/organizations/:organizationId/members': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { limit: '5' },
  },
  'GET /v1/admin/organizations/:organizationId/members/:userId': { caller: 'admin', tenancy: 'scoped' },
  'PATCH /v1/admin/organizations/:organizationId/members/:userId': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ role: 'viewer' }),
  },
  'DELETE /v1/admin/organizations/:organizationId/members/:userId': { caller: 'admin', tenancy: 'scoped' },
  'POST /v1/admin/organizations/:organizationId/teams': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ name: `probe team ${Math.random()}`, metadata: { cost_center: '42' } }),
  },
  'GET /v1/admin/organizations/:organizationId/teams': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { limit: '5' },
  },
  'GET /v1/admin/organizations/:organizationId/teams/:teamId': { caller: 'admin', tenancy: 'scoped' },
  'PATCH /v1/admin/organizations/:organizationId/teams/:teamId': {
    caller: 'admin',
    tenancy: 'scoped',
    body: (tenant) => ({ name: tenant.teamName }),
  },
  'DELETE /v1/admin/organizations/:organizationId/teams/:teamId': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/teams/:teamId/members/:userId': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'DELETE /v1/admin/organizations/:organizationId/teams/:teamId/members/:userId': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'GET /v1/admin/organizations/:organizationId/teams/:teamId/rate-limits': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'PUT /v1/admin/organizations/:organizationId/teams/:teamId/rate-limits': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ requests_per_minute: 5000 }),
  },
  'POST /v1/admin/organizations/:organizationId/invitations': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ email: `probe-${Math.random().toString(36).slice(2)}@example.com`, role: 'viewer' }),
  },
  'GET /v1/admin/organizations/:organizationId/invitations': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { limit: '5' },
  },
  'DELETE /v1/admin/organizations/:organizationId/invitations/:invitationId': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'POST /v1/chat/completions': { caller: 'member', tenancy: 'own', body: chatBody },
  'POST /v1/responses': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({ model: 'sim/fast', input: 'Say hello.', max_output_tokens: 16, user: 'probe-user' }),
    crossTenant: (victim) => [
      {
        label: "continue the victim's response",
        body: { model: 'sim/fast', input: 'Go on.', previous_response_id: victim.responseId },
        expect: 'refused',
      },
      {
        label: "continue the victim's conversation",
        body: { model: 'sim/fast', input: 'Go on.', conversation: victim.conversationId },
        expect: 'refused',
      },
    ],
  },
  'GET /v1/responses': { caller: 'member', tenancy: 'own', streaming: true },
  'GET /v1/responses/:responseId': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/responses/:responseId/cancel': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/conversations': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({
      items: [{ type: 'message', role: 'user', content: 'Hello.' }],
      metadata: { topic: 'probe' },
    }),
  },
  'GET /v1/conversations/:conversationId': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/conversations/:conversationId': {
    caller: 'member',
    tenancy: 'scoped',
    body: () => ({ metadata: { topic: 'changed' } }),
  },
  'DELETE /v1/conversations/:conversationId': { caller: 'member', tenancy: 'scoped' },
  'GET /v1/conversations/:conversationId/items': {
    caller: 'member',
    tenancy: 'scoped',
    query: { limit: '5', order: 'asc' },
  },
  'POST /v1/conversations/:conversationId/items': {
    caller: 'member',
    tenancy: 'scoped',
    body: () => ({ items: [{ type: 'message', role: 'user', content: 'More.' }] }),
  },
  'GET /v1/conversations/:conversationId/items/:itemId': { caller: 'member', tenancy: 'scoped' },
  'DELETE /v1/conversations/:conversationId/items/:itemId': { caller: 'member', tenancy: 'scoped' },
  'DELETE /v1/responses/:responseId': { caller: 'member', tenancy: 'scoped' },
  'GET /v1/responses/:responseId/input_items': {
    caller: 'member',
    tenancy: 'scoped',
    query: { limit: '5', order: 'asc' },
  },
  'POST /v1/messages': {
    caller: 'member',
    tenancy: 'own',
    errorFormat: 'anthropic',
    body: () => ({ model: 'sim/fast', max_tokens: 16, messages: [{ role: 'user', content: 'Hello.' }] }),
  },
  'POST /v1/messages/count_tokens': {
    caller: 'member',
    tenancy: 'own',
    errorFormat: 'anthropic',
    body: () => ({ model: 'sim/fast', messages: [{ role: 'user', content: 'Hello.' }] }),
  },
  'POST /v1/embeddings': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({ model: 'sim/embed', input: 'hello' }),
  },
  'POST /v1/batch/chat/completions': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({ requests: [chatBody()], max_concurrency: 1 }),
  },
  'POST /v1/files': { caller: 'member', tenancy: 'own' },
  'GET /v1/files': { caller: 'member', tenancy: 'own', query: { limit: '5', purpose: 'batch' } },
  'GET /v1/files/:fileId': { caller: 'member', tenancy: 'scoped' },
  'GET /v1/files/:fileId/content': { caller: 'member', tenancy: 'scoped' },
  'DELETE /v1/files/:fileId': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/batches': {
    caller: 'member',
    tenancy: 'own',
    body: (tenant) => ({
      input_file_id: tenant.fileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    }),
    crossTenant: (victim) => [
      {
        label: "a batch of the victim's file",
        body: { input_file_id: victim.fileId, endpoint: '/v1/chat/completions', completion_window: '24h' },
        expect: 'refused',
      },
    ],
  },
  'GET /v1/batches': { caller: 'member', tenancy: 'own', query: { limit: '5' } },
  'GET /v1/batches/:batchId': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/batches/:batchId/cancel': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/messages/batches': {
    caller: 'member',
    tenancy: 'own',
    errorFormat: 'anthropic',
    body: () => ({
      requests: [
        {
          custom_id: 'probe',
          params: { model: 'sim/fast', max_tokens: 16, messages: [{ role: 'user', content: 'Hello.' }] },
        },
      ],
    }),
  },
  'GET /v1/messages/batches': {
    caller: 'member',
    tenancy: 'own',
    errorFormat: 'anthropic',
    query: { limit: '5' },
  },
  'GET /v1/messages/batches/:messageBatchId': {
    caller: 'member',
    tenancy: 'scoped',
    errorFormat: 'anthropic',
  },
  'POST /v1/messages/batches/:messageBatchId/cancel': {
    caller: 'member',
    tenancy: 'scoped',
    errorFormat: 'anthropic',
  },
  'GET /v1/messages/batches/:messageBatchId/results': {
    caller: 'member',
    tenancy: 'scoped',
    errorFormat: 'anthropic',
  },
  'DELETE /v1/messages/batches/:messageBatchId': {
    caller: 'member',
    tenancy: 'scoped',
    errorFormat: 'anthropic',
  },
  'GET /v1/models': { caller: 'member', tenancy: 'global' },
  'GET /v1/models/*': { caller: 'member', tenancy: 'global' },
  'GET /v1/usage': {
    caller: 'member',
    tenancy: 'own',
    query: { group_by: 'key' },
    crossTenant: () => [{ label: 'usage by key', query: { group_by: 'key' }, expect: 'ignored' }],
  },
  'GET /v1/cache/stats': {
    caller: 'member',
    tenancy: 'own',
    crossTenant: (victim) => [
      { label: "the victim's stats", query: { organization_id: victim.organizationId }, expect: 'refused' },
    ],
  },
  'DELETE /v1/cache': {
    caller: 'admin',
    tenancy: 'own',
    crossTenant: (victim) => [
      {
        label: "purge the victim's cache",
        query: { organization_id: victim.organizationId },
        expect: 'refused',
      },
    ],
  },
  'GET /v1/routing/explain': {
    caller: 'member',
    tenancy: 'global',
    query: { model: 'sim/fast', prompt: 'hello' },
  },
  'POST /v1/routing/explain': { caller: 'member', tenancy: 'global', body: chatBody },
  'GET /v1/providers/health': { caller: 'member', tenancy: 'global' },
  'POST /v1/admin/organizations': {
    caller: 'platform',
    tenancy: 'platform',
    body: () => ({ name: 'probe organization' }),
  },
  'GET /v1/admin/organizations': { caller: 'platform', tenancy: 'platform', query: { limit: '5' } },
  'GET /v1/admin/organizations/:organizationId': { caller: 'admin', tenancy: 'scoped' },
  'DELETE /v1/admin/organizations/:organizationId': { caller: 'platform', tenancy: 'scoped' },
  'GET /v1/admin/organizations/:organizationId/cache-policy': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/cache-policy': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ enabled: false, ttl_seconds: 60 }),
  },
  'POST /v1/admin/organizations/:organizationId/keys': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ name: 'probe key', role: 'member' }),
  },
  'GET /v1/admin/organizations/:organizationId/keys': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { limit: '5', include_revoked: 'true' },
  },
  'GET /v1/admin/organizations/:organizationId/keys/:keyId': { caller: 'admin', tenancy: 'scoped' },
  'DELETE /v1/admin/organizations/:organizationId/keys/:keyId': { caller: 'admin', tenancy: 'scoped' },
  'POST /v1/admin/organizations/:organizationId/keys/:keyId/rotate': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ grace_period_seconds: 3600 }),
  },
  'GET /v1/admin/organizations/:organizationId/keys/:keyId/cache-policy': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'PUT /v1/admin/organizations/:organizationId/keys/:keyId/cache-policy': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ enabled: true }),
  },
  'GET /v1/admin/organizations/:organizationId/keys/:keyId/rate-limits': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'PUT /v1/admin/organizations/:organizationId/keys/:keyId/rate-limits': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ requests_per_minute: 100_000 }),
  },
  'GET /v1/admin/organizations/:organizationId/plan': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/plan': {
    caller: 'platform',
    tenancy: 'scoped',
    body: () => ({ plan: 'enterprise' }),
  },
  'GET /v1/admin/organizations/:organizationId/provider-keys': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/provider-keys/:provider': {
    caller: 'admin',
    tenancy: 'scoped',
    body: (tenant) => ({ api_key: `sk-probe-${tenant.label}-0123456789`, base_url: tenant.providerBaseUrl }),
  },
  'DELETE /v1/admin/organizations/:organizationId/provider-keys/:provider': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'GET /v1/admin/organizations/:organizationId/rate-limits': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/rate-limits': {
    caller: 'platform',
    tenancy: 'scoped',
    body: () => ({ requests_per_minute: 100_000 }),
  },
  'POST /v1/admin/organizations/:organizationId/budgets': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ scope: 'end_user', subject: 'probe-user', limit_usd: 1000, period: 'month' }),
  },
  'GET /v1/admin/organizations/:organizationId/budgets': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { scope: 'end_user', limit: '5' },
  },
  'GET /v1/admin/organizations/:organizationId/budgets/:budgetId': { caller: 'admin', tenancy: 'scoped' },
  'PATCH /v1/admin/organizations/:organizationId/budgets/:budgetId': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ limit_usd: 900 }),
  },
  'DELETE /v1/admin/organizations/:organizationId/budgets/:budgetId': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/admin/organizations/:organizationId/budget-alerts': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { limit: '5' },
  },
  'PUT /v1/admin/organizations/:organizationId/webhook': {
    caller: 'admin',
    tenancy: 'scoped',
    body: (tenant) => ({ url: tenant.webhookUrl }),
  },
  'GET /v1/admin/organizations/:organizationId/webhook': { caller: 'admin', tenancy: 'scoped' },
  'DELETE /v1/admin/organizations/:organizationId/webhook': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/admin/organizations/:organizationId/tool-network-allowlist': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'PUT /v1/admin/organizations/:organizationId/tool-network-allowlist': {
    caller: 'platform',
    tenancy: 'scoped',
    body: () => ({ entries: ['127.0.0.1'] }),
  },
  'GET /v1/admin/organizations/:organizationId/trace-content': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/trace-content': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ record_content: true }),
  },
  'GET /v1/admin/plans': { caller: 'admin', tenancy: 'global' },
  'GET /v1/admin/plans/:planId': { caller: 'admin', tenancy: 'global' },
  'PUT /v1/admin/plans/:planId': {
    caller: 'platform',
    tenancy: 'platform',
    body: () => ({ name: 'Probe plan', rank: 7 }),
  },
  'DELETE /v1/admin/plans/:planId': { caller: 'platform', tenancy: 'platform' },
  'POST /v1/swarms': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({ task: 'Write a haiku.', agents: [{ role: 'poet', instructions: 'Write.' }] }),
    crossTenant: (victim) => [
      {
        label: "the victim's template",
        body: { task: 'Go.', template: victim.templateName },
        expect: 'refused',
      },
      {
        label: "the victim's HTTP tool",
        body: { task: 'Go.', agents: [{ role: 'a', tools: [victim.toolName] }] },
        expect: 'refused',
      },
      {
        label: "the victim's MCP server",
        body: { task: 'Go.', agents: [{ role: 'a', tools: [`${victim.serverName}__add`] }] },
        expect: 'refused',
      },
    ],
  },
  'GET /v1/swarms': {
    caller: 'member',
    tenancy: 'own',
    query: { limit: '5' },
    crossTenant: (victim): CrossTenantVariant[] => [
      { label: "a cursor at the victim's run", query: { after: victim.runId }, expect: 'ignored' },
      { label: 'queued runs', query: { status: 'queued' }, expect: 'ignored' },
    ],
  },
  'GET /v1/swarms/ws': { caller: 'member', tenancy: 'own', streaming: true },
  'GET /v1/swarms/:id': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/swarms/:id/cancel': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/swarms/:id/approvals': {
    caller: 'member',
    tenancy: 'scoped',
    body: () => ({ step_id: 'step_probe', decision: 'accept' }),
  },
  'GET /v1/swarms/:id/events': {
    caller: 'member',
    tenancy: 'scoped',
    streaming: true,
    query: { after: '0' },
  },
  'GET /v1/tools': { caller: 'member', tenancy: 'own' },
  'POST /v1/tools': {
    caller: 'admin',
    tenancy: 'own',
    body: (tenant) => ({
      name: `probe_${tenant.label}`,
      description: 'A probe tool.',
      url: `https://${tenant.label}-probe-tool.public.test/run`,
      parameters: { type: 'object', properties: {} },
    }),
  },
  'GET /v1/tools/:name': { caller: 'member', tenancy: 'scoped' },
  'DELETE /v1/tools/:name': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/mcp-servers': { caller: 'member', tenancy: 'own' },
  'POST /v1/mcp-servers': {
    caller: 'admin',
    tenancy: 'own',
    body: (tenant) => ({
      transport: 'streamable_http',
      name: `probe-${tenant.label}`,
      url: mcpUrlOf(tenant),
    }),
  },
  'GET /v1/mcp-servers/:name': { caller: 'member', tenancy: 'scoped' },
  'DELETE /v1/mcp-servers/:name': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/swarm-templates': { caller: 'member', tenancy: 'own' },
  'POST /v1/swarm-templates': {
    caller: 'admin',
    tenancy: 'own',
    body: (tenant) => ({ name: `probe-${tenant.label}`, ...templateBody(tenant) }),
    crossTenant: (victim) => [
      {
        label: "a template naming the victim's tool",
        body: { name: 'stolen-tools', ...templateBody(victim) },
        expect: 'refused',
      },
    ],
  },
  'GET /v1/audit': {
    caller: 'admin',
    tenancy: 'own',
    query: { limit: '5', action: 'api_key.*' },
    crossTenant: (victim) => auditVariants(victim),
  },
  'GET /v1/audit/verify': {
    caller: 'admin',
    tenancy: 'own',
    crossTenant: (victim) => [
      { label: "the victim's chain", query: { organization_id: victim.organizationId }, expect: 'refused' },
    ],
  },
  'GET /v1/audit/export': {
    caller: 'admin',
    tenancy: 'own',
    query: { action: 'organization.created' },
    crossTenant: (victim) => auditVariants(victim),
  },
  'POST /v1/knowledge-bases': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({ name: 'probe knowledge', chunking: { max_tokens: 64, overlap_tokens: 8 } }),
  },
  'GET /v1/knowledge-bases': { caller: 'member', tenancy: 'own', query: { limit: '5' } },
  'GET /v1/knowledge-bases/:knowledgeBaseId': { caller: 'member', tenancy: 'scoped' },
  'PATCH /v1/knowledge-bases/:knowledgeBaseId': {
    caller: 'member',
    tenancy: 'scoped',
    body: () => ({ name: 'renamed knowledge', metadata: { team: 'probe' } }),
  },
  'DELETE /v1/knowledge-bases/:knowledgeBaseId': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/knowledge-bases/:knowledgeBaseId/documents': {
    caller: 'member',
    tenancy: 'scoped',
    body: () => ({ title: 'Probe', text: 'A probe document about probes.', metadata: { kind: 'probe' } }),
  },
  'GET /v1/knowledge-bases/:knowledgeBaseId/documents': {
    caller: 'member',
    tenancy: 'scoped',
    query: { limit: '5' },
  },
  'GET /v1/knowledge-bases/:knowledgeBaseId/documents/:documentId': { caller: 'member', tenancy: 'scoped' },
  'GET /v1/knowledge-bases/:knowledgeBaseId/documents/:documentId/events': {
    caller: 'member',
    tenancy: 'scoped',
    streaming: true,
    query: { after: '0' },
  },
  'DELETE /v1/knowledge-bases/:knowledgeBaseId/documents/:documentId': {
    caller: 'member',
    tenancy: 'scoped',
  },
  'POST /v1/knowledge-bases/:knowledgeBaseId/search': {
    caller: 'member',
    tenancy: 'scoped',
    body: () => ({ query: 'probe', top_k: 3, mode: 'hybrid', filter: { kind: 'probe' } }),
  },
  'GET /v1/swarm-templates/:name': { caller: 'member', tenancy: 'scoped' },
  'PUT /v1/swarm-templates/:name': { caller: 'admin', tenancy: 'scoped', body: templateBody },
  'DELETE /v1/swarm-templates/:name': { caller: 'admin', tenancy: 'scoped' },
  ...graphqlRouteCases,
};

/** An organisation admin asking the audit log about another organisation, its keys and its resources. */
function auditVariants(victim: ProbeTenant): CrossTenantVariant[] {
  return [
    { label: "the victim's entries", query: { organization_id: victim.organizationId }, expect: 'refused' },
    {
      label: "entries about the victim's organization",
      query: { target_id: victim.organizationId },
      expect: 'ignored',
    },
    { label: "entries by the victim's admin key", query: { actor_id: victim.adminKeyId }, expect: 'ignored' },
    { label: "entries about the victim's budget", query: { target_id: victim.budgetId }, expect: 'ignored' },
    { label: "entries about the victim's tool", query: { target_id: victim.toolName }, expect: 'ignored' },
  ];
}

const mcpUrls = new Map<string, string>();

/** Records the (loopback) MCP server a tenant's servers point at. */
export function rememberMcpUrl(label: string, url: string): void {
  mcpUrls.set(label, url);
}

function mcpUrlOf(tenant: ProbeTenant): string {
  return mcpUrls.get(tenant.label) ?? 'http://127.0.0.1:9/mcp';
}
