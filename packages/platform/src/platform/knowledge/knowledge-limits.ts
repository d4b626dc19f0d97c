import { PlatformError } from '../../errors/index.ts';
import type { PlanDefinition } from '../../metering/plans/index.ts';
import { knowledgeHoldings } from '../../rag/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';

/** The knowledge limits of the caller's plan (every one null without a plan: unlimited). */
export interface KnowledgeLimits {
  planName: string | null;
  maxFileBytes: number | null;
  maxDocuments: number | null;
  maxChunks: number | null;
}

export function knowledgeLimitsOf(caller: AuthContext, plan: (id: string) => PlanDefinition | undefined) {
  const definition = caller.plan === null ? undefined : plan(caller.plan);
  return {
    planName: definition?.name ?? null,
    maxFileBytes: definition?.knowledgeMaxFileBytes ?? null,
    maxDocuments: definition?.knowledgeMaxDocuments ?? null,
    maxChunks: definition?.knowledgeMaxChunks ?? null,
  } satisfies KnowledgeLimits;
}

const planHint = (field: string) =>
  `Ask an administrator to raise the plan's '${field}' (PUT /v1/admin/plans/{id}) or to move the organisation to a bigger plan.`;

/** A document over the plan's `knowledge_max_file_bytes`: 413 naming the file or the text field. */
export function documentTooLarge(
  limits: KnowledgeLimits,
  param: string,
  what: string,
  bytes: number,
): PlatformError {
  return new PlatformError({
    code: 'FILE_TOO_LARGE',
    message: `${what} is ${bytes} bytes, above the ${limits.planName} plan's limit of ${limits.maxFileBytes} bytes per document (knowledge_max_file_bytes).`,
    param,
    hint: `Split it into smaller documents. ${planHint('knowledge_max_file_bytes')}`,
    status: 413,
    category: 'user',
    type: 'invalid_request_error',
  });
}

function allowanceExceeded(
  field: 'knowledge_max_documents' | 'knowledge_max_chunks',
  message: string,
  param: string,
): PlatformError {
  return new PlatformError({
    code: 'KNOWLEDGE_LIMIT_EXCEEDED',
    message,
    param,
    hint: `Delete documents the organisation no longer needs (DELETE /v1/knowledge-bases/{id}/documents/{docId}). ${planHint(field)}`,
    status: 403,
    category: 'user',
    type: 'insufficient_quota',
  });
}

/**
 * Refuses an upload that would take the organisation past its plan's document or chunk
 * allowance. Documents counted are every one not failed, across the organisation's knowledge
 * bases; a ready or pending document of the same knowledge base and `external_id` as an upload
 * is counted as replaced. Run it in the upload's transaction, after
 * {@link lockKnowledgeAllowance}, so concurrent uploads cannot both pass.
 */
export async function checkKnowledgeAllowance(
  transaction: Queryable,
  caller: AuthContext,
  limits: KnowledgeLimits,
  knowledgeBaseId: string,
  uploads: ReadonlyArray<{ externalId: string | null; chunkCount: number }>,
  param: string,
): Promise<void> {
  if (limits.maxDocuments === null && limits.maxChunks === null) return;
  const externalIds = [
    ...new Set(uploads.flatMap((upload) => (upload.externalId === null ? [] : [upload.externalId]))),
  ];
  const held = await knowledgeHoldings(transaction, caller.organizationId, knowledgeBaseId, externalIds);
  const documents = held.documents - held.displacedDocuments + uploads.length;
  const chunks =
    held.chunks - held.displacedChunks + uploads.reduce((sum, upload) => sum + upload.chunkCount, 0);
  if (limits.maxDocuments !== null && documents > limits.maxDocuments) {
    throw allowanceExceeded(
      'knowledge_max_documents',
      `This upload would bring the organisation to ${documents} documents, above the ${limits.planName} plan's limit of ${limits.maxDocuments} (knowledge_max_documents).`,
      param,
    );
  }
  if (limits.maxChunks !== null && chunks > limits.maxChunks) {
    throw allowanceExceeded(
      'knowledge_max_chunks',
      `This upload would bring the organisation to ${chunks} chunks, above the ${limits.planName} plan's limit of ${limits.maxChunks} (knowledge_max_chunks).`,
      param,
    );
  }
}

/** Serialises allowance checks of one organisation (a transaction lock, released at commit). */
export async function lockKnowledgeAllowance(transaction: Queryable, organizationId: string): Promise<void> {
  await transaction.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `knowledge-allowance:${organizationId}`,
  ]);
}
