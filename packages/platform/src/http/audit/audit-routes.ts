import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import { auditActionFilterPattern } from '../../identity/audit/index.ts';
import type { AuditFilters, AuditLog } from '../../platform/index.ts';
import { listEnvelope } from '../admin/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import {
  auditEntryExample,
  auditEntryListSchema,
  auditVerificationExample,
  auditVerificationSchema,
  serializeAuditEntry,
  serializeVerification,
} from './audit-serializers.ts';

const tag = 'Audit log';
const visibility =
  "An organisation admin sees its organisation's entries; the platform admin sees every chain and may narrow to one with `organization_id`.";

const instant = z.iso.datetime({ offset: true }).or(z.iso.date());

const filterFields = {
  action: z
    .string()
    .max(128)
    .regex(auditActionFilterPattern, "must be a dotted action such as 'api_key.created', or 'api_key.*'")
    .optional(),
  actor_id: z.string().min(1).max(128).optional(),
  target_type: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z_]*$/, "must be a type such as 'api_key'")
    .optional(),
  target_id: z.string().min(1).max(256).optional(),
  organization_id: z.string().min(1).max(64).optional(),
  from: instant.optional().describe('Entries at or after this instant (or day).'),
  to: instant.optional().describe('Entries before this instant (or day); must be later than `from`.'),
};

const exportQuerySchema = z.strictObject(filterFields);

const listQuerySchema = z.strictObject({
  ...filterFields,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'must be the id of an audit entry')
    .optional(),
});

const verifyQuerySchema = z.strictObject({ organization_id: filterFields.organization_id });

function filtersOf(query: z.output<typeof exportQuerySchema>): AuditFilters {
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from.getTime() >= to.getTime()) {
    throw errors.invalidRequest('from', "'from' must be earlier than 'to'.");
  }
  return {
    ...(query.action ? { action: query.action } : {}),
    ...(query.actor_id ? { actorId: query.actor_id } : {}),
    ...(query.target_type ? { targetType: query.target_type } : {}),
    ...(query.target_id ? { targetId: query.target_id } : {}),
    ...(query.organization_id ? { organizationId: query.organization_id } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** JSON lines: one entry per line, each written as the export reads it. */
async function* jsonLines(entries: AsyncIterable<Parameters<typeof serializeAuditEntry>[0]>) {
  for await (const entry of entries) yield `${JSON.stringify(serializeAuditEntry(entry))}\n`;
}

/**
 * GET /v1/audit (newest first, keyset pages), GET /v1/audit/verify (walks the chains) and
 * GET /v1/audit/export (JSON lines, oldest first, streamed). The service decides who sees what.
 */
export function registerAuditRoutes(app: FastifyInstance, audit: AuditLog): void {
  app.get(
    '/v1/audit',
    requires('audit:read', {
      operationId: 'listAuditEntries',
      summary: 'List audit entries, newest first',
      description: `Keyset pages: pass the \`last_id\` of a page as \`after\` for the next. \`action\` takes an exact action or a prefix (\`api_key.*\`). ${visibility}`,
      tag,
      query: listQuerySchema,
      responses: {
        200: {
          description: 'A page of entries.',
          schema: auditEntryListSchema,
          example: {
            object: 'list',
            data: [auditEntryExample],
            has_more: false,
            last_id: auditEntryExample.id,
          },
        },
      },
    }),
    async (request) => {
      const query = parseWith(listQuerySchema, request.query);
      const entries = await audit.list(callerOf(request), filtersOf(query), {
        limit: query.limit + 1,
        ...(query.after ? { after: query.after } : {}),
      });
      return listEnvelope(entries.map(serializeAuditEntry), query.limit);
    },
  );

  app.get(
    '/v1/audit/verify',
    requires('audit:read', {
      operationId: 'verifyAuditLog',
      summary: 'Verify the audit hash chains',
      description: `Walks every entry the caller may see and checks each previous hash, sequence and hash. ${visibility}`,
      tag,
      query: verifyQuerySchema,
      responses: {
        200: {
          description: 'Whether the chains are intact, and where the first break is.',
          schema: auditVerificationSchema,
          example: auditVerificationExample,
        },
      },
    }),
    async (request) => {
      const query = parseWith(verifyQuerySchema, request.query);
      const verification = await audit.verify(
        callerOf(request),
        query.organization_id ? { organizationId: query.organization_id } : {},
      );
      return serializeVerification(verification);
    },
  );

  app.get(
    '/v1/audit/export',
    requires('audit:read', {
      operationId: 'exportAuditLog',
      summary: 'Export audit entries as JSON lines, oldest first',
      description: `Streamed: one \`AuditEntry\` object (as GET /v1/audit lists them) per line, oldest first, every entry matching the filters (no pagination). ${visibility}`,
      tag,
      query: exportQuerySchema,
      responses: {
        200: {
          description:
            'JSON lines (`application/x-ndjson; charset=utf-8`): one `AuditEntry` per line, each ending with a newline; empty when nothing matches.',
          contentType: 'application/x-ndjson',
        },
      },
    }),
    async (request, reply) => {
      const query = parseWith(exportQuerySchema, request.query);
      // The access check runs here, before the first byte is sent.
      const entries = audit.export(callerOf(request), filtersOf(query));
      reply.header('content-type', 'application/x-ndjson; charset=utf-8');
      return reply.send(Readable.from(jsonLines(entries)));
    },
  );
}
