import type { Queryable } from '../../storage/db/index.ts';
import type { SecretBox } from '../../support/index.ts';
import { randomBase62 } from '../../tenancy/index.ts';

/** What the API shows of a webhook: never its secret. */
export interface WebhookSummary {
  organizationId: string;
  url: string;
  createdAt: Date;
  updatedAt: Date;
}

interface WebhookRow {
  organization_id: string;
  url: string;
  created_at: Date;
  updated_at: Date;
}

const summaryColumns = 'organization_id, url, created_at, updated_at';

function toSummary(row: WebhookRow): WebhookSummary {
  return {
    organizationId: row.organization_id,
    url: row.url,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function associatedData(organizationId: string): string {
  return `organization_webhooks/${organizationId}`;
}

/** A new signing secret: `whsec_` and 32 base62 characters (≈190 bits). */
export function newWebhookSecret(): string {
  return `whsec_${randomBase62(32)}`;
}

/** Sets (or replaces) an organisation's webhook; the secret is sealed under the master key. */
export async function putWebhook(
  database: Queryable,
  secretBox: SecretBox,
  input: { organizationId: string; url: string; secret: string },
): Promise<WebhookSummary> {
  const sealed = secretBox.seal(input.secret, associatedData(input.organizationId));
  const result = await database.query<WebhookRow>(
    `INSERT INTO organization_webhooks (organization_id, url, sealed_secret) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id) DO UPDATE
       SET url = excluded.url, sealed_secret = excluded.sealed_secret, updated_at = now()
     RETURNING ${summaryColumns}`,
    [input.organizationId, input.url, sealed],
  );
  return toSummary(result.rows[0]!);
}

/** The organisation's webhook without its secret, or null. */
export async function findWebhook(
  database: Queryable,
  organizationId: string,
): Promise<WebhookSummary | null> {
  const result = await database.query<WebhookRow>(
    `SELECT ${summaryColumns} FROM organization_webhooks WHERE organization_id = $1`,
    [organizationId],
  );
  return result.rows[0] ? toSummary(result.rows[0]) : null;
}

/** Removes the webhook and its sealed secret; false when there was none. */
export async function deleteWebhook(database: Queryable, organizationId: string): Promise<boolean> {
  const result = await database.query('DELETE FROM organization_webhooks WHERE organization_id = $1', [
    organizationId,
  ]);
  return result.rowCount > 0;
}

/** Where to deliver an organisation's events and the secret to sign them with; null without a webhook. */
export async function loadWebhookTarget(
  database: Queryable,
  secretBox: SecretBox,
  organizationId: string,
): Promise<{ url: string; secret: string } | null> {
  const result = await database.query<{ url: string; sealed_secret: string }>(
    'SELECT url, sealed_secret FROM organization_webhooks WHERE organization_id = $1',
    [organizationId],
  );
  const row = result.rows[0];
  return row
    ? { url: row.url, secret: secretBox.open(row.sealed_secret, associatedData(organizationId)) }
    : null;
}
