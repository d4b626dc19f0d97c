import type { Queryable } from '../../../storage/db/index.ts';
import type { SecretBox } from '../../../support/index.ts';
import { randomBase62 } from '../../../tenancy/index.ts';
import { toolErrors } from '../tool-errors.ts';
import { isUniqueViolation } from './unique-violation.ts';

export type McpTransportKind = 'streamable_http' | 'stdio';

/** An organisation's MCP server, without its headers' values. */
export interface McpServerRecord {
  id: string;
  organizationId: string;
  name: string;
  transport: McpTransportKind;
  url: string | null;
  /** For stdio: the name of the operator's server in the config file. */
  configuredServer: string | null;
  /** The names of the headers sent to the server (their values are sealed). */
  headerNames: string[];
  needsApproval: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A server as the connection pool needs it: headers opened. */
export interface McpServerTarget extends McpServerRecord {
  headers: Record<string, string>;
}

interface McpServerRow {
  id: string;
  organization_id: string;
  name: string;
  transport: McpTransportKind;
  url: string | null;
  configured_server: string | null;
  header_names: string[];
  sealed_headers: string | null;
  needs_approval: boolean;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'id, organization_id, name, transport, url, configured_server, header_names, sealed_headers, needs_approval, created_at, updated_at';

function associatedData(organizationId: string, serverId: string): string {
  return `organization_mcp_servers/${organizationId}/${serverId}`;
}

function toRecord(row: McpServerRow): McpServerRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    transport: row.transport,
    url: row.url,
    configuredServer: row.configured_server,
    headerNames: row.header_names,
    needsApproval: row.needs_approval,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function openHeaders(row: McpServerRow, secretBox: SecretBox | null): Record<string, string> {
  if (!row.sealed_headers) return {};
  if (!secretBox) throw new Error('The MCP server has sealed headers but no master key is configured.');
  return JSON.parse(
    secretBox.open(row.sealed_headers, associatedData(row.organization_id, row.id)),
  ) as Record<string, string>;
}

export async function createMcpServer(
  database: Queryable,
  secretBox: SecretBox | null,
  input: {
    organizationId: string;
    name: string;
    transport: McpTransportKind;
    url: string | null;
    configuredServer: string | null;
    headers: Record<string, string>;
    needsApproval: boolean;
  },
): Promise<McpServerRecord> {
  const id = `mcps_${randomBase62(20)}`;
  const headerNames = Object.keys(input.headers);
  let sealed: string | null = null;
  if (headerNames.length > 0) {
    if (!secretBox) throw new Error('headers need a master key');
    sealed = secretBox.seal(JSON.stringify(input.headers), associatedData(input.organizationId, id));
  }
  try {
    const result = await database.query<McpServerRow>(
      `INSERT INTO organization_mcp_servers
         (id, organization_id, name, transport, url, configured_server, header_names, sealed_headers, needs_approval)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9) RETURNING ${columns}`,
      [
        id,
        input.organizationId,
        input.name,
        input.transport,
        input.url,
        input.configuredServer,
        headerNames,
        sealed,
        input.needsApproval,
      ],
    );
    return toRecord(result.rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) throw toolErrors.alreadyExists('an MCP server', input.name);
    throw error;
  }
}

async function selectRows(
  database: Queryable,
  organizationId: string,
  name: string | null,
): Promise<McpServerRow[]> {
  const result = await database.query<McpServerRow>(
    `SELECT ${columns} FROM organization_mcp_servers
      WHERE organization_id = $1 AND ($2::text IS NULL OR name = $2) ORDER BY name`,
    [organizationId, name],
  );
  return result.rows;
}

async function selectServers(
  database: Queryable,
  secretBox: SecretBox | null,
  organizationId: string,
  name: string | null,
): Promise<McpServerTarget[]> {
  const rows = await selectRows(database, organizationId, name);
  return rows.map((row) => ({ ...toRecord(row), headers: openHeaders(row, secretBox) }));
}

/** The organisation's servers as the API shows them (no header values). */
export async function listMcpServers(
  database: Queryable,
  organizationId: string,
): Promise<McpServerRecord[]> {
  return (await selectRows(database, organizationId, null)).map(toRecord);
}

export async function findMcpServer(
  database: Queryable,
  organizationId: string,
  name: string,
): Promise<McpServerRecord | null> {
  const row = (await selectRows(database, organizationId, name))[0];
  return row ? toRecord(row) : null;
}

/** The organisation's servers with their headers opened (for connecting; never serialise `headers`). */
export function listMcpServerTargets(
  database: Queryable,
  secretBox: SecretBox | null,
  organizationId: string,
): Promise<McpServerTarget[]> {
  return selectServers(database, secretBox, organizationId, null);
}

export async function findMcpServerTarget(
  database: Queryable,
  secretBox: SecretBox | null,
  organizationId: string,
  name: string,
): Promise<McpServerTarget | null> {
  return (await selectServers(database, secretBox, organizationId, name))[0] ?? null;
}

/** Removes the server and its sealed headers; false when there was none. */
export async function deleteMcpServer(
  database: Queryable,
  organizationId: string,
  name: string,
): Promise<boolean> {
  const result = await database.query(
    'DELETE FROM organization_mcp_servers WHERE organization_id = $1 AND name = $2',
    [organizationId, name],
  );
  return result.rowCount > 0;
}
