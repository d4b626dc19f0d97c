import { z } from 'zod';
import { auditActorTypes } from '../../identity/audit/index.ts';
import type { AuditEntry, AuditVerification } from '../../platform/index.ts';
import { listEnvelopeSchema, timestampSchema } from '../openapi/index.ts';

export const auditEntrySchema = z
  .object({
    id: z.string().describe('Decimal text: ids increase in the order entries were appended.'),
    object: z.literal('audit_entry'),
    created_at: timestampSchema,
    chain_key: z.string().describe("The organisation's id, or `platform` for the platform chain."),
    sequence: z.number().int().describe('1 for the first entry of its chain, then one more for each.'),
    actor: z
      .object({
        type: z.enum(auditActorTypes),
        id: z.string().nullable(),
        organization_id: z.string().nullable(),
      })
      .describe('Who acted: a key, a person, a workload, or the platform itself (then without id).'),
    organization_id: z
      .string()
      .nullable()
      .describe('The organisation acted on; null for platform-wide changes.'),
    action: z.string().describe('A dotted action, e.g. `api_key.created`.'),
    target: z.object({ type: z.string(), id: z.string() }).describe('What was acted on.'),
    before: z.unknown().describe('A JSON summary of the state before (secrets redacted); null when none.'),
    after: z.unknown().describe('A JSON summary of the state after (secrets redacted); null when none.'),
    client_address: z.string().nullable(),
    request_id: z.string().nullable(),
    previous_hash: z
      .string()
      .nullable()
      .describe('The hash of the previous entry of the chain; null for the first.'),
    hash: z
      .string()
      .describe("SHA-256 (hex) of this entry's canonical record, which includes the previous entry's hash."),
  })
  .meta({ id: 'AuditEntry', description: 'One entry of the tamper-evident (hash-chained) audit log.' });

export const auditEntryExample = {
  id: '42',
  object: 'audit_entry',
  created_at: '2026-12-07T16:00:00.000Z',
  chain_key: 'org_3kTtV5xQ1mZ8rB2w',
  sequence: 7,
  actor: { type: 'api_key', id: 'key_5fQm2Lx9Tb7cW1zR', organization_id: 'org_3kTtV5xQ1mZ8rB2w' },
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  action: 'api_key.created',
  target: { type: 'api_key', id: 'key_8hTn4Kw2Qz6cV3xB' },
  before: null,
  after: { name: 'ci', role: 'developer' },
  client_address: '203.0.113.7',
  request_id: 'req_9sLk2Vb7Qx4mT1zR',
  previous_hash: '5d41402abc4b2a76b9719d911017c592ae2f5f7f3d3b1c5d6e7f8091a2b3c4d5',
  hash: '7c222fb2927d828af22f592134e8932480637c0d8a1f9f6e5d4c3b2a19087f6e',
} satisfies z.output<typeof auditEntrySchema>;

export const auditEntryListSchema = listEnvelopeSchema(auditEntrySchema, 'AuditEntryList');

/** One audit entry as the API and the JSON-lines export show it. */
export function serializeAuditEntry(entry: AuditEntry): z.output<typeof auditEntrySchema> {
  return {
    id: entry.id,
    object: 'audit_entry' as const,
    created_at: entry.createdAt.toISOString(),
    chain_key: entry.chainKey,
    sequence: entry.sequence,
    actor: { type: entry.actor.type, id: entry.actor.id, organization_id: entry.actor.organizationId },
    organization_id: entry.organizationId,
    action: entry.action,
    target: { type: entry.target.type, id: entry.target.id },
    before: entry.before,
    after: entry.after,
    client_address: entry.clientAddress,
    request_id: entry.requestId,
    previous_hash: entry.previousHash,
    hash: entry.hash,
  };
}

export const auditVerificationSchema = z
  .object({
    object: z.literal('audit.verification'),
    valid: z.boolean().describe("True when every entry's previous hash, sequence and hash match."),
    entries: z.number().int().describe('How many entries were checked.'),
    first_broken: z
      .string()
      .nullable()
      .describe('The id of the first entry that does not match; null when valid.'),
  })
  .meta({ id: 'AuditVerification', description: 'The result of walking the audit hash chains.' });

export const auditVerificationExample = {
  object: 'audit.verification',
  valid: true,
  entries: 42,
  first_broken: null,
} satisfies z.output<typeof auditVerificationSchema>;

export function serializeVerification(
  verification: AuditVerification,
): z.output<typeof auditVerificationSchema> {
  return {
    object: 'audit.verification' as const,
    valid: verification.valid,
    entries: verification.entries,
    first_broken: verification.firstBroken,
  };
}
