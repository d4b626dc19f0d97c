import type { Queryable } from '../../../storage/db/index.ts';
import type { SecretBox } from '../../../support/index.ts';
import { randomBase62 } from '../../../tenancy/index.ts';
import { toolErrors } from '../tool-errors.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** An organisation's HTTP tool, without its secret. */
export interface HttpToolRecord {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  url: string;
  parameters: Record<string, unknown>;
  needsApproval: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** An HTTP tool with its opened signing secret, for execution only. */
export interface HttpToolTarget extends HttpToolRecord {
  secret: string;
}

interface HttpToolRow {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  url: string;
  parameters: Record<string, unknown>;
  needs_approval: boolean;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'id, organization_id, name, description, url, parameters, needs_approval, created_at, updated_at';

function toRecord(row: HttpToolRow): HttpToolRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    description: row.description,
    url: row.url,
    parameters: row.parameters,
    needsApproval: row.needs_approval,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function associatedData(organizationId: string, toolId: string): string {
  return `organization_tools/${organizationId}/${toolId}`;
}

/** A new signing secret for an HTTP tool: `tsec_` and 32 base62 characters (≈190 bits). */
export function newToolSecret(): string {
  return `tsec_${randomBase62(32)}`;
}

export async function createHttpTool(
  database: Queryable,
  secretBox: SecretBox,
  input: {
    organizationId: string;
    name: string;
    description: string;
    url: string;
    parameters: Record<string, unknown>;
    needsApproval: boolean;
    secret: string;
  },
): Promise<HttpToolRecord> {
  const id = `tool_${randomBase62(20)}`;
  try {
    const result = await database.query<HttpToolRow>(
      `INSERT INTO organization_tools (id, organization_id, name, description, url, parameters, needs_approval, sealed_secret)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) RETURNING ${columns}`,
      [
        id,
        input.organizationId,
        input.name,
        input.description,
        input.url,
        JSON.stringify(input.parameters),
        input.needsApproval,
        secretBox.seal(input.secret, associatedData(input.organizationId, id)),
      ],
    );
    return toRecord(result.rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) throw toolErrors.alreadyExists('a tool', input.name);
    throw error;
  }
}

export async function listHttpTools(database: Queryable, organizationId: string): Promise<HttpToolRecord[]> {
  const result = await database.query<HttpToolRow>(
    `SELECT ${columns} FROM organization_tools WHERE organization_id = $1 ORDER BY name`,
    [organizationId],
  );
  return result.rows.map(toRecord);
}

export async function findHttpTool(
  database: Queryable,
  organizationId: string,
  name: string,
): Promise<HttpToolRecord | null> {
  const result = await database.query<HttpToolRow>(
    `SELECT ${columns} FROM organization_tools WHERE organization_id = $1 AND name = $2`,
    [organizationId, name],
  );
  return result.rows[0] ? toRecord(result.rows[0]) : null;
}

/** The named tools with their secrets opened, for execution. */
export async function loadHttpToolTargets(
  database: Queryable,
  secretBox: SecretBox,
  organizationId: string,
  names: readonly string[],
): Promise<HttpToolTarget[]> {
  if (names.length === 0) return [];
  const result = await database.query<HttpToolRow & { sealed_secret: string }>(
    `SELECT ${columns}, sealed_secret FROM organization_tools WHERE organization_id = $1 AND name = ANY($2::text[])`,
    [organizationId, [...names]],
  );
  return result.rows.map((row) => ({
    ...toRecord(row),
    secret: secretBox.open(row.sealed_secret, associatedData(organizationId, row.id)),
  }));
}

/** Removes the tool and its sealed secret; false when there was none. */
export async function deleteHttpTool(
  database: Queryable,
  organizationId: string,
  name: string,
): Promise<boolean> {
  const result = await database.query(
    'DELETE FROM organization_tools WHERE organization_id = $1 AND name = $2',
    [organizationId, name],
  );
  return result.rowCount > 0;
}
