import { randomBytes } from 'node:crypto';
import { chatBody, type ProbeTenant, rememberMcpUrl } from './route-probe-cases.ts';
import type { TestApp } from './test-app.ts';

/** A real, non-simulated provider on the discard port of loopback, so provider keys can be stored and nothing is reached. */
export const probeProviderConfig = {
  openai_compatible: [
    { name: 'localllm', base_url: 'http://127.0.0.1:9/v1', models: [{ id: 'model', context_window: 8192 }] },
  ],
};

function expectStatus(what: string, response: { statusCode: number; body: string }, status: number) {
  if (response.statusCode !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
}

/**
 * Creates an organisation with one of everything a tenant owns: keys, a budget, an HTTP tool, an
 * MCP server (on `mcpUrl`), a template, a queued swarm run, a webhook, a cache policy, key rate
 * limits, a provider key and some usage. Names carry a random part, so any leak is unmistakable.
 */
export async function createProbeTenant(
  testApp: TestApp,
  label: string,
  options: { mcpUrl: string; webhookUrl?: string },
): Promise<ProbeTenant> {
  const random = randomBytes(4).toString('hex');
  const platform = { authorization: `Bearer ${testApp.adminKey}` };
  const send = async (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    headers: Record<string, string>,
    payload?: Record<string, unknown>,
    status = 200,
  ) => {
    const response = await testApp.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    expectStatus(`${method} ${url}`, response, status);
    return response.json<Record<string, unknown>>();
  };
  const organizationName = `${label}-org-${random}`;
  const organization = await send(
    'POST',
    '/v1/admin/organizations',
    platform,
    { name: organizationName },
    201,
  );
  const organizationId = organization.id as string;
  const base = `/v1/admin/organizations/${organizationId}`;
  const adminKey = await send(
    'POST',
    `${base}/keys`,
    platform,
    { name: `${label} admin`, role: 'admin' },
    201,
  );
  const memberKey = await send(
    'POST',
    `${base}/keys`,
    platform,
    { name: `${label} member`, role: 'member' },
    201,
  );
  const asAdmin = { authorization: `Bearer ${adminKey.secret as string}` };
  const asMember = { authorization: `Bearer ${memberKey.secret as string}` };
  await send('PUT', `${base}/tool-network-allowlist`, platform, { entries: ['127.0.0.1'] });
  const endUser = `${label}-user-${random}`;
  const budget = await send(
    'POST',
    `${base}/budgets`,
    asAdmin,
    { scope: 'end_user', subject: endUser, limit_usd: 1000, period: 'month' },
    201,
  );
  const toolName = `${label}_tool_${random}`;
  await send(
    'POST',
    '/v1/tools',
    asAdmin,
    {
      name: toolName,
      description: 'Looks up weather.',
      url: `https://${label}-tools-${random}.public.test/run`,
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
    201,
  );
  const serverName = `${label}-server-${random}`;
  rememberMcpUrl(label, options.mcpUrl);
  await send(
    'POST',
    '/v1/mcp-servers',
    asAdmin,
    { transport: 'streamable_http', name: serverName, url: options.mcpUrl },
    201,
  );
  const templateName = `${label}-template-${random}`;
  await send(
    'POST',
    '/v1/swarm-templates',
    asAdmin,
    {
      name: templateName,
      description: 'A template of its own.',
      agents: [{ role: 'writer', instructions: 'Write.', tools: [toolName] }],
    },
    201,
  );
  const run = await send(
    'POST',
    '/v1/swarms',
    asMember,
    { task: `A ${label} task ${random}.`, agents: [{ role: 'poet', instructions: 'Write.' }] },
    202,
  );
  const webhookUrl = options.webhookUrl ?? `http://127.0.0.1:9/${label}-hook-${random}`;
  await send('PUT', `${base}/webhook`, asAdmin, { url: webhookUrl });
  await send('PUT', `${base}/cache-policy`, asAdmin, { enabled: true, ttl_seconds: 77 });
  await send('PUT', `${base}/keys/${memberKey.id as string}/rate-limits`, asAdmin, {
    requests_per_minute: 4242,
  });
  const providerKey = `sk-${label}-provider-${random}`;
  const providerBaseUrl = `https://${label}-llm-${random}.public.test/v1`;
  await send('PUT', `${base}/provider-keys/localllm`, asAdmin, {
    api_key: providerKey,
    base_url: providerBaseUrl,
  });
  await send('POST', '/v1/chat/completions', asMember, { ...chatBody(), user: endUser });
  const response = await send('POST', '/v1/responses', asMember, {
    model: 'sim/fast',
    input: 'Remember me.',
  });
  const conversation = await send('POST', '/v1/conversations', asMember, {
    items: [{ type: 'message', role: 'user', content: `A ${label} conversation ${random}.` }],
    metadata: { owner: label },
  });
  const conversationItems = await send(
    'GET',
    `/v1/conversations/${conversation.id as string}/items`,
    asMember,
  );
  const boundary = `probe-${random}`;
  const line = JSON.stringify({
    custom_id: `${label}-line`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: chatBody(),
  });
  const uploaded = await testApp.app.inject({
    method: 'POST',
    url: '/v1/files',
    headers: { ...asMember, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: [
      `--${boundary}`,
      'Content-Disposition: form-data; name="purpose"',
      '',
      'batch',
      `--${boundary}`,
      `Content-Disposition: form-data; name="file"; filename="${label}-input-${random}.jsonl"`,
      'Content-Type: application/jsonl',
      '',
      line,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  });
  expectStatus('POST /v1/files', uploaded, 200);
  const fileId = uploaded.json<{ id: string }>().id;
  const batch = await send('POST', '/v1/batches', asMember, {
    input_file_id: fileId,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
  const messageBatch = await send('POST', '/v1/messages/batches', asMember, {
    requests: [
      {
        custom_id: `${label}-request`,
        params: { model: 'sim/fast', max_tokens: 16, messages: [{ role: 'user', content: 'Hi.' }] },
      },
    ],
  });
  const knowledgeBase = await send(
    'POST',
    '/v1/knowledge-bases',
    asMember,
    { name: `${label}-knowledge-${random}` },
    201,
  );
  const knowledgeDocument = await send(
    'POST',
    // why wait: ingestion is queued; the probes search for this document's text.
    `/v1/knowledge-bases/${knowledgeBase.id as string}/documents?wait=30`,
    asMember,
    {
      title: `${label}-document-${random}`,
      external_id: `${label}-external-${random}`,
      text: `The ${label} secret passphrase is ${label}-passphrase-${random}.`,
    },
    201,
  );
  const teamName = `${label}-team-${random}`;
  const team = await send('POST', `${base}/teams`, asAdmin, { name: teamName }, 201);
  const userEmail = `${label}-person-${random}@example.com`;
  const invited = await send(
    'POST',
    `${base}/invitations`,
    asAdmin,
    { email: userEmail, role: 'developer' },
    201,
  );
  const accepted = await send('POST', '/v1/invitations/accept', {}, { token: invited.token as string }, 201);
  const userId = (accepted.user as { id: string }).id;
  await send('PUT', `${base}/teams/${team.id as string}/members/${userId}`, asAdmin);
  const pending = await send(
    'POST',
    `${base}/invitations`,
    asAdmin,
    { email: `${label}-pending-${random}@example.com`, role: 'viewer', team_id: team.id },
    201,
  );
  const spare = await send(
    'POST',
    `${base}/invitations`,
    asAdmin,
    { email: `${label}-spare-${random}@example.com`, role: 'viewer' },
    201,
  );
  return {
    userId,
    userEmail,
    teamId: team.id as string,
    teamName,
    invitationId: pending.id as string,
    invitationToken: spare.token as string,
    label,
    organizationId,
    organizationName,
    admin: adminKey.secret as string,
    adminKeyId: adminKey.id as string,
    member: memberKey.secret as string,
    memberKeyId: memberKey.id as string,
    budgetId: budget.id as string,
    toolName,
    serverName,
    templateName,
    runId: run.id as string,
    responseId: response.id as string,
    conversationId: conversation.id as string,
    conversationItemId: (conversationItems.data as Array<{ id: string }>)[0]?.id ?? '',
    fileId,
    batchId: batch.id as string,
    messageBatchId: messageBatch.id as string,
    knowledgeBaseId: knowledgeBase.id as string,
    knowledgeDocumentId: knowledgeDocument.id as string,
    webhookUrl,
    providerKey,
    providerBaseUrl,
    endUser,
  };
}

/** The strings that identify a tenant's resources: none may appear in another tenant's answers. */
export function markersOf(tenant: ProbeTenant): string[] {
  return [
    tenant.organizationId,
    tenant.organizationName,
    tenant.admin,
    tenant.adminKeyId,
    tenant.member,
    tenant.memberKeyId,
    tenant.budgetId,
    tenant.toolName,
    tenant.serverName,
    tenant.templateName,
    tenant.fileId,
    tenant.batchId,
    tenant.messageBatchId,
    tenant.runId,
    tenant.responseId,
    tenant.conversationId,
    tenant.conversationItemId,
    tenant.knowledgeBaseId,
    tenant.knowledgeDocumentId,
    `${tenant.label}-passphrase-`,
    new URL(tenant.webhookUrl).pathname,
    tenant.providerKey,
    new URL(tenant.providerBaseUrl).hostname,
    tenant.endUser,
    tenant.userId,
    tenant.userEmail,
    tenant.teamId,
    tenant.teamName,
    tenant.invitationId,
  ];
}
