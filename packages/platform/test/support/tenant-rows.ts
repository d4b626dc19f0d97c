import { createHash } from 'node:crypto';
import type { Queryable } from '../../src/storage/db/index.ts';

/**
 * One row of every tenant table for `organizationId`, written as the schema owner. The isolation
 * test needs each table to hold rows of two organisations; a table added without a row here fails
 * it, so the author adds the table's row (and its policy) at the same time.
 */
export async function seedTenantRows(owner: Queryable, organizationId: string): Promise<void> {
  const o = organizationId;
  const id = (prefix: string) => `${prefix}_${o}`;
  const statements: [string, unknown[]][] = [
    ['INSERT INTO organizations (id, name) VALUES ($1, $1)', [o]],
    ['INSERT INTO users (id, email) VALUES ($1, $2)', [id('user'), `${o}@example.com`]],
    [
      'INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)',
      [o, id('user'), 'owner'],
    ],
    ['INSERT INTO teams (id, organization_id, name) VALUES ($1, $2, $3)', [id('team'), o, 'team']],
    [
      'INSERT INTO team_members (team_id, organization_id, user_id) VALUES ($1, $2, $3)',
      [id('team'), o, id('user')],
    ],
    [
      `INSERT INTO api_keys (id, organization_id, name, role, display_prefix, secret_hash)
       VALUES ($1, $2, 'key', 'admin', 'sk-kimi-x', $3)`,
      [id('key'), o, `hash_${o}`],
    ],
    [
      `INSERT INTO api_key_retired_secrets (secret_hash, api_key_id, organization_id, valid_until)
       VALUES ($1, $2, $3, now() + interval '1 hour')`,
      [`retired_${o}`, id('key'), o],
    ],
    [
      `INSERT INTO invitations (id, organization_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, 'viewer', $4, 'someone', now() + interval '1 day')`,
      [id('invitation'), o, `invitee-${o}@example.com`, `invite_${o}`],
    ],
    [
      `INSERT INTO budgets (id, organization_id, scope, subject, limit_usd, period, period_start)
       VALUES ($1, $2, 'organization', $2, 10, 'month', now())`,
      [id('budget'), o],
    ],
    [
      `INSERT INTO budget_alerts (budget_id, period_start, threshold, organization_id, spent_usd, limit_usd)
       VALUES ($1, now(), 50, $2, 5, 10)`,
      [id('budget'), o],
    ],
    [
      `INSERT INTO budget_reservations (id, budget_ids, amount_usd, expires_at)
       VALUES ($1, ARRAY[$2], 1, now() + interval '1 minute')`,
      [id('reservation'), id('budget')],
    ],
    ['INSERT INTO cache_policies (organization_id) VALUES ($1)', [o]],
    [
      `INSERT INTO organization_mcp_servers (id, organization_id, name, transport, url)
       VALUES ($1, $2, 'server', 'streamable_http', 'https://mcp.example.com')`,
      [id('mcp'), o],
    ],
    [
      `INSERT INTO organization_provider_keys (organization_id, provider, sealed_api_key, key_suffix)
       VALUES ($1, 'openai', 'sealed', 'abcd')`,
      [o],
    ],
    [
      `INSERT INTO organization_swarm_templates (id, organization_id, name, description, definition)
       VALUES ($1, $2, 'template', 'd', '{}'::jsonb)`,
      [id('template'), o],
    ],
    [
      `INSERT INTO organization_tools (id, organization_id, name, description, url, parameters, sealed_secret)
       VALUES ($1, $2, 'tool', 'd', 'https://tool.example.com', '{}'::jsonb, 'sealed')`,
      [id('tool'), o],
    ],
    [
      `INSERT INTO organization_webhooks (organization_id, url, sealed_secret)
       VALUES ($1, 'https://hook.example.com', 'sealed')`,
      [o],
    ],
    [
      `INSERT INTO semantic_cache_entries (organization_id, scope_hash, key_hash, embedding, answer, expires_at)
       VALUES ($1, 's', $2, ARRAY[0.1, 0.2]::real[], 'answer', now() + interval '1 hour')`,
      [o, `key_${o}`],
    ],
    [
      `INSERT INTO browser_sessions (id, organization_id, user_id, role, created_at, refreshed_at, expires_at)
       VALUES ($1, $2, $3, 'owner', now(), now(), now() + interval '1 day')`,
      [id('session'), o, id('user')],
    ],
    [
      `INSERT INTO session_refresh_tokens (token_hash, session_id, organization_id, issued_at, expires_at)
       VALUES ($1, $2, $3, now(), now() + interval '1 day')`,
      [`refresh_${o}`, id('session'), o],
    ],
    [
      `INSERT INTO sso_connections (organization_id, issuer, client_id, sealed_client_secret, client_secret_suffix,
         redirect_uri, scopes, token_endpoint_auth_method, groups_claim, email_claim, created_at, updated_at)
       VALUES ($1, $2, 'client', 'sealed', 'abcd', 'https://kimi.example.com/cb', ARRAY['openid'],
         'client_secret_basic', 'groups', 'email', now(), now())`,
      [o, `https://issuer.example.com/${o}`],
    ],
    [
      'INSERT INTO user_identities (issuer, subject, user_id, organization_id) VALUES ($1, $2, $3, $4)',
      ['https://issuer.example.com', `subject_${o}`, id('user'), o],
    ],
    [
      `INSERT INTO swarm_runs (id, organization_id, status, task, specification, caller, deadline_at)
       VALUES ($1, $2, 'completed', 'task', '{}'::jsonb, '{}'::jsonb, now())`,
      [id('run'), o],
    ],
    [
      `INSERT INTO swarm_steps (run_id, key, organization_id, kind, status)
       VALUES ($1, 'plan', $2, 'plan', 'completed')`,
      [id('run'), o],
    ],
    [
      `INSERT INTO swarm_events (run_id, sequence, event_key, organization_id, type, data)
       VALUES ($1, 1, 'event', $2, 'run.started', '{}'::jsonb)`,
      [id('run'), o],
    ],
    // why no row for usage_rollups_hourly: this insert's trigger writes it (migration 26).
    [
      `INSERT INTO usage_records (request_id, organization_id, endpoint, latency_ms, status)
       VALUES ($1, $2, '/v1/chat/completions', 1, 200)`,
      [id('request'), o],
    ],
    [
      `INSERT INTO responses (id, organization_id, api_key_id, model, status, request, input_items, output,
         created_at, expires_at)
       VALUES ($1, $2, $3, 'sim/fast', 'completed', '{}'::jsonb, '[]'::jsonb, '[]'::jsonb, now(),
         now() + interval '1 day')`,
      [id('response'), o, id('key')],
    ],
    [
      `INSERT INTO response_events (response_id, sequence_number, organization_id, event)
       VALUES ($1, 0, $2, '{}'::jsonb)`,
      [id('response'), o],
    ],
    [
      'INSERT INTO conversations (id, organization_id, created_at) VALUES ($1, $2, now())',
      [id('conversation'), o],
    ],
    [
      `INSERT INTO conversation_items (conversation_id, id, organization_id, item, created_at)
       VALUES ($1, $2, $3, '{}'::jsonb, now())`,
      [id('conversation'), id('item'), o],
    ],
    [
      `INSERT INTO files (id, organization_id, api_key_id, purpose, filename, bytes, content, created_at)
       VALUES ($1, $2, $3, 'batch', 'input.jsonl', 2, '\\x7b7d'::bytea, now())`,
      [id('file'), o, id('key')],
    ],
    [
      `INSERT INTO batches (id, organization_id, api_key_id, format, endpoint, input_file_id, completion_window,
         status, caller, created_at, expires_at)
       VALUES ($1, $2, $3, 'openai', '/v1/chat/completions', $4, '24h', 'in_progress', '{}'::jsonb, now(),
         now() + interval '1 day')`,
      [id('batch'), o, id('key'), id('file')],
    ],
    [
      `INSERT INTO batch_lines (batch_id, line_index, organization_id, custom_id, request, status)
       VALUES ($1, 0, $2, 'line', '{}'::jsonb, 'pending')`,
      [id('batch'), o],
    ],
    [
      `INSERT INTO knowledge_bases (id, organization_id, name, embedding_model, chunking, created_at, updated_at)
       VALUES ($1, $2, 'knowledge', 'sim/embed', '{}'::jsonb, now(), now())`,
      [id('knowledge'), o],
    ],
    [
      `INSERT INTO knowledge_documents (id, organization_id, knowledge_base_id, title, status, content,
         character_count, created_at, updated_at)
       VALUES ($1, $2, $3, 'document', 'ready', 'text', 4, now(), now())`,
      [id('document'), o, id('knowledge')],
    ],
    [
      `INSERT INTO knowledge_chunks (id, organization_id, knowledge_base_id, document_id, position, text,
         start_offset, end_offset, token_count, embedding)
       VALUES ($1, $2, $3, $4, 0, 'text', 0, 4, 1, ARRAY[0.1, 0.2]::real[])`,
      [id('chunk'), o, id('knowledge'), id('document')],
    ],
    [
      `INSERT INTO knowledge_segments (id, organization_id, knowledge_base_id, chunk_count, token_total)
       VALUES ($1, $2, $3, 1, 1)`,
      [id('segment'), o, id('knowledge')],
    ],
    [
      `INSERT INTO knowledge_postings (segment_id, lexeme, organization_id, postings)
       VALUES ($1, 'text', $2, '\\x000000000000000100010001'::bytea)`,
      [id('segment'), o],
    ],
    [
      `INSERT INTO knowledge_segment_members (number, segment_id, organization_id)
       SELECT number, $1, $2 FROM knowledge_chunks WHERE id = $3`,
      [id('segment'), o, id('chunk')],
    ],
    [
      `INSERT INTO knowledge_staged_chunks (organization_id, document_id, position, embedding)
       VALUES ($1, $2, 1, ARRAY[0.1, 0.2]::real[])`,
      [o, id('document')],
    ],
    [
      `INSERT INTO knowledge_document_events (organization_id, document_id, sequence, type, data, created_at)
       VALUES ($1, $2, 1, 'document.queued', '{}'::jsonb, now())`,
      [o, id('document')],
    ],
    [
      `INSERT INTO audit_log (id, chain_key, sequence, created_at, actor_type, organization_id, action,
         target_type, target_id, hash)
       VALUES (nextval('audit_log_id_seq'), $1, 1, now(), 'system', $1, 'organization.created',
         'organization', $1, $2)`,
      [o, createHash('sha256').update(o).digest('hex')],
    ],
  ];
  for (const [sql, params] of statements) await owner.query(sql, params);
}
