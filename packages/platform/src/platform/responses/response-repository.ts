import type { Queryable } from '../../storage/db/index.ts';
import type {
  IncompleteDetails,
  OutputItem,
  ResponseFailure,
  ResponseParameters,
  ResponseState,
  ResponseUsage,
  StoredInputItem,
} from './response-object.ts';

/**
 * The SQL of stored responses. Every statement names the organisation in its WHERE clause (and
 * takes it from the authenticated caller, never from a body), and skips expired rows, so another
 * organisation's or an expired response reads exactly like a missing one.
 */

export interface StoredResponse {
  organizationId: string;
  apiKeyId: string;
  state: ResponseState;
  inputItems: StoredInputItem[];
  /** Epoch milliseconds after which the row is never read again. */
  expiresAt: number;
  conversationId?: string | null;
  /** A background response's request and creating caller, which its job runs with. */
  background?: { body: unknown; caller: unknown; callOptions: unknown };
}

interface ResponseRow {
  id: string;
  model: string;
  status: ResponseState['status'];
  request: ResponseParameters;
  output: OutputItem[];
  usage: ResponseUsage | null;
  error: ResponseFailure | null;
  incomplete_details: IncompleteDetails | null;
  created_at: Date;
  completed_at: Date | null;
}

const stateColumns =
  'id, model, status, request, output, usage, error, incomplete_details, created_at, completed_at';

function toState(row: ResponseRow): ResponseState {
  return {
    id: row.id,
    model: row.model,
    status: row.status,
    createdAt: row.created_at.getTime(),
    completedAt: row.completed_at?.getTime() ?? null,
    parameters: row.request,
    output: row.output,
    usage: row.usage,
    error: row.error,
    incompleteDetails: row.incomplete_details,
  };
}

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

const insertColumns = `id, organization_id, api_key_id, model, status, previous_response_id, request,
       input_items, output, usage, error, incomplete_details, created_at, completed_at, expires_at,
       conversation_id, background, body, caller, call_options`;

/** Placeholders of one row, with the casts of its JSON columns. */
function rowPlaceholders(offset: number): string {
  const jsonColumns = new Set([7, 8, 9, 10, 11, 12, 18, 19, 20]);
  const cells = Array.from({ length: 20 }, (_, index) => {
    const position = index + 1;
    return `$${offset + position}${jsonColumns.has(position) ? '::jsonb' : ''}`;
  });
  return `(${cells.join(', ')})`;
}

function rowParameters(stored: StoredResponse): unknown[] {
  const { state } = stored;
  return [
    state.id,
    stored.organizationId,
    stored.apiKeyId,
    state.model,
    state.status,
    state.parameters.previous_response_id,
    json(state.parameters),
    json(stored.inputItems),
    json(state.output),
    json(state.usage),
    json(state.error),
    json(state.incompleteDetails),
    new Date(state.createdAt),
    state.completedAt === null ? null : new Date(state.completedAt),
    new Date(stored.expiresAt),
    stored.conversationId ?? null,
    stored.background !== undefined,
    json(stored.background?.body ?? null),
    json(stored.background?.caller ?? null),
    json(stored.background?.callOptions ?? null),
  ];
}

export async function insertResponse(database: Queryable, stored: StoredResponse): Promise<void> {
  await insertResponses(database, [stored]);
}

/** Several responses in one statement (of one organisation, for row-level security). */
export async function insertResponses(database: Queryable, rows: readonly StoredResponse[]): Promise<void> {
  if (rows.length === 0) return;
  await database.query(
    `INSERT INTO responses (${insertColumns})
     VALUES ${rows.map((_, index) => rowPlaceholders(index * 20)).join(',\n       ')}`,
    rows.flatMap(rowParameters),
  );
}

/**
 * Writes the finished state of a background response, unless it was cancelled (or finished)
 * meanwhile; true when it was written. Clears the lease and the stored request.
 */
export async function finishResponse(
  database: Queryable,
  organizationId: string,
  state: ResponseState,
  inputItems: StoredInputItem[],
): Promise<boolean> {
  const result = await database.query(
    `UPDATE responses SET model = $3, status = $4, input_items = $5::jsonb, output = $6::jsonb, usage = $7::jsonb,
       error = $8::jsonb, incomplete_details = $9::jsonb, completed_at = $10, lease_expires_at = NULL,
       body = NULL, caller = NULL, call_options = NULL, request = $11::jsonb
     WHERE organization_id = $1 AND id = $2 AND status IN ('queued', 'in_progress')`,
    [
      organizationId,
      state.id,
      state.model,
      state.status,
      json(inputItems),
      json(state.output),
      json(state.usage),
      json(state.error),
      json(state.incompleteDetails),
      state.completedAt === null ? null : new Date(state.completedAt),
      // why: the parameters carry the citations of `kimi.knowledge_bases`, known once the run retrieved them.
      json(state.parameters),
    ],
  );
  return result.rowCount > 0;
}

export async function findResponse(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
): Promise<ResponseState | null> {
  const result = await database.query<ResponseRow>(
    `SELECT ${stateColumns} FROM responses WHERE organization_id = $1 AND id = $2 AND expires_at > $3`,
    [organizationId, id, new Date(now)],
  );
  const row = result.rows[0];
  return row ? toState(row) : null;
}

/** One turn of a conversation: what was sent, and what the model answered. */
export interface ConversationTurn {
  id: string;
  inputItems: StoredInputItem[];
  output: OutputItem[];
}

/**
 * The chain that ends at `id`, oldest turn first, following `previous_response_id` within the
 * organisation, at most `maximumLength + 1` turns (so a caller sees that a chain is too long).
 * Empty when `id` itself is not found; a deleted or expired earlier turn ends the chain there.
 */
export async function findConversation(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
  maximumLength: number,
): Promise<ConversationTurn[]> {
  const result = await database.query<{ id: string; input_items: StoredInputItem[]; output: OutputItem[] }>(
    `WITH RECURSIVE chain AS (
       SELECT id, previous_response_id, input_items, output, 1 AS depth
         FROM responses WHERE organization_id = $1 AND id = $2 AND expires_at > $3
       UNION ALL
       SELECT earlier.id, earlier.previous_response_id, earlier.input_items, earlier.output, chain.depth + 1
         FROM responses earlier JOIN chain ON earlier.id = chain.previous_response_id
        WHERE earlier.organization_id = $1 AND earlier.expires_at > $3 AND chain.depth <= $4
     )
     SELECT id, input_items, output FROM chain ORDER BY depth DESC`,
    [organizationId, id, new Date(now), maximumLength],
  );
  return result.rows.map((row) => ({ id: row.id, inputItems: row.input_items, output: row.output }));
}

export async function findInputItems(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
): Promise<StoredInputItem[] | null> {
  const result = await database.query<{ input_items: StoredInputItem[] }>(
    'SELECT input_items FROM responses WHERE organization_id = $1 AND id = $2 AND expires_at > $3',
    [organizationId, id, new Date(now)],
  );
  return result.rows[0]?.input_items ?? null;
}

/** True when the organisation had that (unexpired) response. */
export async function deleteResponse(
  database: Queryable,
  organizationId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await database.query(
    'DELETE FROM responses WHERE organization_id = $1 AND id = $2 AND expires_at > $3',
    [organizationId, id, new Date(now)],
  );
  return result.rowCount > 0;
}

/** Deletes up to `limit` expired responses of every organisation (a platform sweep); returns how many. */
export async function deleteExpiredResponses(
  database: Queryable,
  now: number,
  limit: number,
): Promise<number> {
  const result = await database.query(
    `DELETE FROM responses WHERE id IN (
       SELECT id FROM responses WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2
     )`,
    [new Date(now), limit],
  );
  return result.rowCount;
}
