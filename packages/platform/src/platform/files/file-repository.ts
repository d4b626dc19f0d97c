import type { Queryable } from '../../storage/db/index.ts';
import type { FileListQuery, FilePurpose, StoredFile } from './file-object.ts';

/**
 * The SQL of files. Every statement names the organisation in its WHERE clause (row-level
 * security backs it), so another organisation's file reads exactly like a missing one.
 */

interface FileRow {
  id: string;
  organization_id: string;
  purpose: FilePurpose;
  filename: string;
  bytes: number;
  created_at: Date;
  expires_at: Date | null;
}

const columns = 'id, organization_id, purpose, filename, bytes, created_at, expires_at';

function toStoredFile(row: FileRow): StoredFile {
  return {
    id: row.id,
    organizationId: row.organization_id,
    purpose: row.purpose,
    filename: row.filename,
    bytes: row.bytes,
    createdAt: row.created_at.getTime(),
    expiresAt: row.expires_at?.getTime() ?? null,
  };
}

export async function insertFile(
  database: Queryable,
  file: StoredFile & { apiKeyId: string; content: Uint8Array },
): Promise<void> {
  await database.query(
    `INSERT INTO files (id, organization_id, api_key_id, purpose, filename, bytes, content, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      file.id,
      file.organizationId,
      file.apiKeyId,
      file.purpose,
      file.filename,
      file.bytes,
      file.content,
      new Date(file.createdAt),
      file.expiresAt === null ? null : new Date(file.expiresAt),
    ],
  );
}

export async function findFile(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<StoredFile | null> {
  const result = await database.query<FileRow>(
    `SELECT ${columns} FROM files WHERE organization_id = $1 AND id = $2`,
    [organizationId, id],
  );
  const row = result.rows[0];
  return row ? toStoredFile(row) : null;
}

export async function readFileContent(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<Uint8Array | null> {
  const result = await database.query<{ content: Uint8Array }>(
    'SELECT content FROM files WHERE organization_id = $1 AND id = $2',
    [organizationId, id],
  );
  return result.rows[0]?.content ?? null;
}

/** One more than `limit` rows, so the caller knows whether there are more. */
export async function listFiles(
  database: Queryable,
  organizationId: string,
  query: FileListQuery,
): Promise<StoredFile[]> {
  const descending = query.order === 'desc';
  const params: unknown[] = [organizationId, query.limit + 1];
  const conditions = ['organization_id = $1'];
  if (query.purpose) {
    params.push(query.purpose);
    conditions.push(`purpose = $${params.length}`);
  }
  if (query.after) {
    params.push(query.after);
    const cursor = `(SELECT created_at, id FROM files WHERE organization_id = $1 AND id = $${params.length})`;
    conditions.push(`(created_at, id) ${descending ? '<' : '>'} ${cursor}`);
  }
  const direction = descending ? 'DESC' : 'ASC';
  const result = await database.query<FileRow>(
    `SELECT ${columns} FROM files WHERE ${conditions.join(' AND ')}
      ORDER BY created_at ${direction}, id ${direction} LIMIT $2`,
    params,
  );
  return result.rows.map(toStoredFile);
}

/** True when the organisation had that file. */
export async function deleteFile(database: Queryable, organizationId: string, id: string): Promise<boolean> {
  const result = await database.query('DELETE FROM files WHERE organization_id = $1 AND id = $2', [
    organizationId,
    id,
  ]);
  return result.rowCount > 0;
}
