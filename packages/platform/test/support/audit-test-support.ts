import { createTemporaryDatabase, postgresAvailable } from './services.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.ts';

/** The two relational backends the audit suites run on; PostgreSQL is skipped loudly when absent. */
export interface AuditBackend {
  name: string;
  available: boolean;
  start(options: TestAppOptions): Promise<{ testApp: TestApp; cleanup(): Promise<void> }>;
}

export async function auditBackends(): Promise<AuditBackend[]> {
  const postgres = await postgresAvailable();
  return [
    {
      name: 'PGlite',
      available: true,
      async start(options) {
        const testApp = await startTestApp(options);
        return { testApp, cleanup: () => testApp.close() };
      },
    },
    {
      name: 'PostgreSQL',
      available: postgres,
      async start(options) {
        const temporary = await createTemporaryDatabase();
        const testApp = await startTestApp({ ...options, databaseUrl: temporary.url });
        return {
          testApp,
          async cleanup() {
            await testApp.close();
            await temporary.drop();
          },
        };
      },
    },
  ];
}

/** An audit entry as the API returns it. */
export interface AuditEntryBody {
  id: string;
  object: 'audit_entry';
  created_at: string;
  chain_key: string;
  sequence: number;
  actor: { type: string; id: string | null; organization_id: string | null };
  organization_id: string | null;
  action: string;
  target: { type: string; id: string };
  before: unknown;
  after: unknown;
  client_address: string | null;
  request_id: string | null;
  previous_hash: string | null;
  hash: string;
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** GET /v1/audit with a query; throws unless it answers 200. */
export async function listAudit(
  testApp: TestApp,
  secret: string,
  query: Record<string, string> = {},
): Promise<{ data: AuditEntryBody[]; has_more: boolean; last_id: string | null }> {
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/v1/audit?${new URLSearchParams(query).toString()}`,
    headers: bearer(secret),
  });
  if (response.statusCode !== 200) throw new Error(`GET /v1/audit: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** GET /v1/audit/verify; throws unless it answers 200. */
export async function verifyAudit(
  testApp: TestApp,
  secret: string,
  query: Record<string, string> = {},
): Promise<{ valid: boolean; entries: number; first_broken: string | null }> {
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/v1/audit/verify?${new URLSearchParams(query).toString()}`,
    headers: bearer(secret),
  });
  if (response.statusCode !== 200)
    throw new Error(`GET /v1/audit/verify: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** GET /v1/audit/export: the raw JSON lines and their content type. */
export async function exportAudit(
  testApp: TestApp,
  secret: string,
  query: Record<string, string> = {},
): Promise<{ status: number; contentType: string; body: string; entries: AuditEntryBody[] }> {
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/v1/audit/export?${new URLSearchParams(query).toString()}`,
    headers: bearer(secret),
  });
  const lines = response.statusCode === 200 ? response.body.split('\n').filter((line) => line !== '') : [];
  return {
    status: response.statusCode,
    contentType: String(response.headers['content-type'] ?? ''),
    body: response.body,
    entries: lines.map((line) => JSON.parse(line) as AuditEntryBody),
  };
}
