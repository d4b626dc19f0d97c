import type { Queryable } from '../../storage/db/index.ts';
import type { OutputItem, StoredInputItem } from './response-object.ts';

/** The SQL of conversations and their items; every statement names the caller's organisation. */

/** An item of a conversation: an input item as stored (with its id) or a model's output item. */
export type ConversationItem = StoredInputItem | OutputItem;

export interface ConversationRecord {
  id: string;
  metadata: Record<string, string>;
  /** Epoch milliseconds. */
  createdAt: number;
}

interface ConversationRow {
  id: string;
  metadata: Record<string, string>;
  created_at: Date;
}

const toRecord = (row: ConversationRow): ConversationRecord => ({
  id: row.id,
  metadata: row.metadata,
  createdAt: row.created_at.getTime(),
});

export async function insertConversation(
  database: Queryable,
  organizationId: string,
  record: ConversationRecord,
): Promise<void> {
  await database.query(
    'INSERT INTO conversations (id, organization_id, metadata, created_at) VALUES ($1, $2, $3::jsonb, $4)',
    [record.id, organizationId, JSON.stringify(record.metadata), new Date(record.createdAt)],
  );
}

export async function findConversationRecord(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<ConversationRecord | null> {
  const result = await database.query<ConversationRow>(
    'SELECT id, metadata, created_at FROM conversations WHERE organization_id = $1 AND id = $2',
    [organizationId, id],
  );
  const row = result.rows[0];
  return row ? toRecord(row) : null;
}

export async function updateConversationMetadata(
  database: Queryable,
  organizationId: string,
  id: string,
  metadata: Record<string, string>,
): Promise<ConversationRecord | null> {
  const result = await database.query<ConversationRow>(
    `UPDATE conversations SET metadata = $3::jsonb WHERE organization_id = $1 AND id = $2
     RETURNING id, metadata, created_at`,
    [organizationId, id, JSON.stringify(metadata)],
  );
  const row = result.rows[0];
  return row ? toRecord(row) : null;
}

/** True when the organisation had that conversation; its items go with it. */
export async function deleteConversation(
  database: Queryable,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const result = await database.query('DELETE FROM conversations WHERE organization_id = $1 AND id = $2', [
    organizationId,
    id,
  ]);
  return result.rowCount > 0;
}

/** Appends items in order; an item whose id the conversation already holds is not added twice. */
export async function appendConversationItems(
  database: Queryable,
  organizationId: string,
  conversationId: string,
  items: readonly ConversationItem[],
  now: number,
): Promise<void> {
  for (const item of items) {
    await database.query(
      `INSERT INTO conversation_items (conversation_id, id, organization_id, item, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (conversation_id, id) DO NOTHING`,
      [conversationId, item.id, organizationId, JSON.stringify(item), new Date(now)],
    );
  }
}

/** Every item of a conversation, oldest first (the history a response continues). */
export async function allConversationItems(
  database: Queryable,
  organizationId: string,
  conversationId: string,
): Promise<ConversationItem[]> {
  const result = await database.query<{ item: ConversationItem }>(
    `SELECT item FROM conversation_items WHERE organization_id = $1 AND conversation_id = $2
      ORDER BY position`,
    [organizationId, conversationId],
  );
  return result.rows.map((row) => row.item);
}

/**
 * Up to `limit` items in `order`, after the item `after` (which must be in the conversation:
 * null is returned when it is not), and whether more follow.
 */
export async function pageConversationItems(
  database: Queryable,
  organizationId: string,
  conversationId: string,
  query: { after?: string; limit: number; order: 'asc' | 'desc' },
): Promise<{ items: ConversationItem[]; hasMore: boolean } | null> {
  const parameters: unknown[] = [organizationId, conversationId, query.limit + 1];
  let cursor = '';
  if (query.after !== undefined) {
    const found = await database.query<{ position: number }>(
      'SELECT position FROM conversation_items WHERE organization_id = $1 AND conversation_id = $2 AND id = $3',
      [organizationId, conversationId, query.after],
    );
    const position = found.rows[0]?.position;
    if (position === undefined) return null;
    parameters.push(position);
    cursor = `AND position ${query.order === 'asc' ? '>' : '<'} $4`;
  }
  const result = await database.query<{ item: ConversationItem }>(
    `SELECT item FROM conversation_items WHERE organization_id = $1 AND conversation_id = $2 ${cursor}
      ORDER BY position ${query.order === 'asc' ? 'ASC' : 'DESC'} LIMIT $3`,
    parameters,
  );
  const items = result.rows.map((row) => row.item);
  return { items: items.slice(0, query.limit), hasMore: items.length > query.limit };
}

export async function findConversationItem(
  database: Queryable,
  organizationId: string,
  conversationId: string,
  itemId: string,
): Promise<ConversationItem | null> {
  const result = await database.query<{ item: ConversationItem }>(
    'SELECT item FROM conversation_items WHERE organization_id = $1 AND conversation_id = $2 AND id = $3',
    [organizationId, conversationId, itemId],
  );
  return result.rows[0]?.item ?? null;
}

export async function deleteConversationItem(
  database: Queryable,
  organizationId: string,
  conversationId: string,
  itemId: string,
): Promise<boolean> {
  const result = await database.query(
    'DELETE FROM conversation_items WHERE organization_id = $1 AND conversation_id = $2 AND id = $3',
    [organizationId, conversationId, itemId],
  );
  return result.rowCount > 0;
}
