import type { Migration } from './migration.ts';

/**
 * Agent tools and templates of an organisation: its HTTP tools (the signing secret sealed under the
 * master key), its MCP servers (headers sealed too), its swarm templates, and the network allowlist
 * that lets its tools reach non-public addresses (set by the platform admin only).
 */
export const agentToolsTemplatesMigration: Migration = {
  version: 8,
  name: 'agent-tools-templates',
  sql: `
ALTER TABLE organizations ADD COLUMN tool_network_allowlist text[] NOT NULL DEFAULT '{}';

CREATE TABLE organization_tools (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  name text NOT NULL,
  description text NOT NULL,
  url text NOT NULL,
  parameters jsonb NOT NULL,
  needs_approval boolean NOT NULL DEFAULT false,
  sealed_secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, name)
);

CREATE TABLE organization_mcp_servers (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  name text NOT NULL,
  transport text NOT NULL CHECK (transport IN ('streamable_http', 'stdio')),
  -- streamable_http: the endpoint; stdio: null (the command is the operator's, named by configured_server).
  url text,
  configured_server text,
  -- Headers sent to the server (e.g. Authorization): the names in clear, the values sealed.
  header_names text[] NOT NULL DEFAULT '{}',
  sealed_headers text,
  needs_approval boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, name),
  CHECK ((transport = 'streamable_http' AND url IS NOT NULL) OR (transport = 'stdio' AND configured_server IS NOT NULL))
);

CREATE TABLE organization_swarm_templates (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  name text NOT NULL,
  description text NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, name)
);
`,
};
