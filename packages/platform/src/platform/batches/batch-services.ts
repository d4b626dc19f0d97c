import { errors } from '../../errors/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { fileNotFound, findFile, parseBatchInput, readFileContent } from '../files/index.ts';
import type { BatchExecution } from './batch-execution.ts';
import { newBatchId } from './batch-identifiers.ts';
import { countLines, finishedLines, insertLines, lineUsage, type NewLine } from './batch-line-repository.ts';
import {
  type BatchError,
  type BatchFormat,
  type BatchRecord,
  endedStatuses,
  type FinishedLine,
  type LineCounts,
} from './batch-record.ts';
import {
  type BatchListQuery,
  deleteBatch,
  findBatch,
  insertBatch,
  listBatches,
  transitionBatch,
} from './batch-repository.ts';
import {
  type BatchCreateRequest,
  completionWindowMs,
  type MessageBatchCreateRequest,
} from './batch-requests.ts';
import { type MessageBatchObject, toMessageBatch } from './message-batch-object.ts';
import { type OpenAIBatchObject, toOpenAIBatch } from './openai-batch-object.ts';

export interface BatchPage<Item> {
  data: Item[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/**
 * Batches in two wire formats over one machinery: OpenAI's Batch API (input from a file, output
 * and error files) and Anthropic's Message Batches (requests in the body, JSONL results). Every
 * operation is scoped to the caller's organisation.
 */
export interface BatchServices {
  create(caller: AuthContext, request: BatchCreateRequest): Promise<OpenAIBatchObject>;
  list(
    caller: AuthContext,
    query: BatchListQuery,
  ): Promise<BatchPage<OpenAIBatchObject> & { object: 'list' }>;
  retrieve(caller: AuthContext, id: string): Promise<OpenAIBatchObject>;
  cancel(caller: AuthContext, id: string): Promise<OpenAIBatchObject>;
  createMessageBatch(caller: AuthContext, request: MessageBatchCreateRequest): Promise<MessageBatchObject>;
  listMessageBatches(caller: AuthContext, query: BatchListQuery): Promise<BatchPage<MessageBatchObject>>;
  retrieveMessageBatch(caller: AuthContext, id: string): Promise<MessageBatchObject>;
  cancelMessageBatch(caller: AuthContext, id: string): Promise<MessageBatchObject>;
  /** The results of an ended message batch, one JSON line per request in input order. */
  messageBatchResults(caller: AuthContext, id: string): Promise<string>;
  deleteMessageBatch(caller: AuthContext, id: string): Promise<{ id: string; type: 'message_batch_deleted' }>;
  /** Expires, resumes and ends the live batches of every organisation (the worker also does it on its own). */
  sweep(): Promise<void>;
}

export interface BatchServiceDependencies {
  database: Database;
  clock: Clock;
  execution: BatchExecution;
  /** The most requests one batch may hold (the file limit applies to OpenAI's too). */
  maximumLines: () => number;
}

const batchNotFound = (id: string, format: BatchFormat) =>
  errors.notFound(`The ${format === 'openai' ? 'batch' : 'message batch'} '${id}'`);

export function createBatchServices(dependencies: BatchServiceDependencies): BatchServices {
  const { database, clock, execution } = dependencies;
  const databaseOf = (caller: AuthContext) => database.forOrganization(caller.organizationId);

  const requireBatch = async (caller: AuthContext, id: string, format: BatchFormat) => {
    const batch = await findBatch(databaseOf(caller), caller.organizationId, id);
    if (!batch || batch.format !== format) throw batchNotFound(id, format);
    return batch;
  };

  const withCounts = async (caller: AuthContext, batch: BatchRecord) =>
    [batch, await countLines(databaseOf(caller), batch.id)] as [BatchRecord, LineCounts];

  const toOpenAIObject = async (caller: AuthContext, batch: BatchRecord) =>
    toOpenAIBatch(
      batch,
      await countLines(databaseOf(caller), batch.id),
      await lineUsage(databaseOf(caller), batch.id),
    );

  const openAIObject = async (caller: AuthContext, id: string) =>
    toOpenAIObject(caller, await requireBatch(caller, id, 'openai'));

  const messageObject = async (caller: AuthContext, id: string) =>
    toMessageBatch(...(await withCounts(caller, await requireBatch(caller, id, 'anthropic'))));

  const newRecord = (
    caller: AuthContext,
    format: BatchFormat,
    fields: Pick<BatchRecord, 'endpoint' | 'inputFileId' | 'metadata'>,
  ): BatchRecord => {
    const now = clock.now();
    return {
      id: newBatchId(format),
      organizationId: caller.organizationId,
      apiKeyId: caller.apiKeyId,
      format,
      completionWindow: '24h',
      status: 'in_progress',
      caller,
      errors: null,
      outputFileId: null,
      errorFileId: null,
      createdAt: now,
      inProgressAt: now,
      expiresAt: now + completionWindowMs,
      finalizingAt: null,
      completedAt: null,
      failedAt: null,
      expiredAt: null,
      cancellingAt: null,
      cancelledAt: null,
      ...fields,
    };
  };

  /**
   * Stores the batch and its lines in one transaction, then hands the lines to the queue in the
   * background (a large batch is many enqueues; the sweep re-enqueues whatever did not arrive).
   */
  const start = async (caller: AuthContext, batch: BatchRecord, lines: readonly NewLine[]) => {
    await databaseOf(caller).transaction(async (transaction) => {
      await insertBatch(transaction, batch);
      if (batch.status === 'in_progress') {
        await insertLines(transaction, caller.organizationId, batch.id, lines);
      }
    });
    if (batch.status === 'in_progress') {
      execution.enqueueInBackground(
        caller.organizationId,
        batch.id,
        lines.map((line) => line.index),
      );
    }
  };

  const cancel = async (caller: AuthContext, batch: BatchRecord) => {
    if (batch.status === 'cancelling' || batch.status === 'cancelled') return;
    if (endedStatuses.includes(batch.status)) {
      throw errors.conflict(
        `The batch '${batch.id}' has already ended (${batch.status}) and cannot be cancelled.`,
        'Only a batch in progress can be cancelled.',
      );
    }
    const moved = await transitionBatch(
      databaseOf(caller),
      batch.id,
      ['validating', 'in_progress'],
      'cancelling',
      {
        cancelling_at: clock.now(),
      },
    );
    if (moved) await execution.cancelPending(batch);
  };

  const page = <Item extends { id: string }>(
    rows: BatchRecord[],
    limit: number,
    map: (row: BatchRecord) => Promise<Item>,
  ) =>
    Promise.all(rows.slice(0, limit).map(map)).then((data) => ({
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: rows.length > limit,
    }));

  return {
    async create(caller, request) {
      const scoped = databaseOf(caller);
      const file = await findFile(scoped, caller.organizationId, request.input_file_id);
      if (!file) throw fileNotFound(request.input_file_id, 'input_file_id');
      if (file.purpose !== 'batch') {
        throw errors.invalidRequest(
          'input_file_id',
          `The file '${file.id}' was uploaded with purpose '${file.purpose}', not 'batch'.`,
          'Upload the input with purpose "batch".',
        );
      }
      const content = await readFileContent(scoped, caller.organizationId, file.id);
      if (!content) throw fileNotFound(request.input_file_id, 'input_file_id');
      const lines = parseBatchInput(content, dependencies.maximumLines());
      const batch = newRecord(caller, 'openai', {
        endpoint: request.endpoint,
        inputFileId: file.id,
        metadata: request.metadata ?? null,
      });
      const mismatched: BatchError[] = lines
        .filter((line) => line.url !== request.endpoint)
        .slice(0, 100)
        .map((line) => ({
          code: 'mismatched_endpoint',
          message: `The url '${line.url}' of line ${line.lineNumber} does not match the batch's endpoint '${request.endpoint}'.`,
          param: 'url',
          line: line.lineNumber,
        }));
      if (mismatched.length > 0) {
        Object.assign(batch, {
          status: 'failed',
          errors: mismatched,
          failedAt: batch.createdAt,
          inProgressAt: null,
        });
      }
      await start(
        caller,
        batch,
        lines.map((line) => ({ index: line.index, customId: line.customId, request: line.body })),
      );
      return openAIObject(caller, batch.id);
    },

    async list(caller, query) {
      const rows = await listBatches(databaseOf(caller), caller.organizationId, 'openai', query);
      return {
        object: 'list',
        ...(await page(rows, query.limit, (row) => toOpenAIObject(caller, row))),
      };
    },

    retrieve: openAIObject,

    async cancel(caller, id) {
      await cancel(caller, await requireBatch(caller, id, 'openai'));
      return openAIObject(caller, id);
    },

    async createMessageBatch(caller, request) {
      const maximum = dependencies.maximumLines();
      if (request.requests.length > maximum) {
        throw errors.invalidRequest(
          'requests',
          `A message batch may hold at most ${maximum} requests; this one has ${request.requests.length}.`,
          'Split the batch, or raise files.max_lines in kimi.config.yaml.',
        );
      }
      const seen = new Map<string, number>();
      request.requests.forEach((entry, index) => {
        const earlier = seen.get(entry.custom_id);
        if (earlier !== undefined) {
          throw errors.invalidRequest(
            `requests[${index}].custom_id`,
            `The custom_id '${entry.custom_id}' repeats requests[${earlier}].`,
            'Every custom_id must be unique within the batch.',
          );
        }
        seen.set(entry.custom_id, index);
      });
      const batch = newRecord(caller, 'anthropic', {
        endpoint: '/v1/messages',
        inputFileId: null,
        metadata: null,
      });
      await start(
        caller,
        batch,
        request.requests.map((entry, index) => ({ index, customId: entry.custom_id, request: entry.params })),
      );
      return messageObject(caller, batch.id);
    },

    async listMessageBatches(caller, query) {
      const rows = await listBatches(databaseOf(caller), caller.organizationId, 'anthropic', query);
      return page(rows, query.limit, async (row) => toMessageBatch(...(await withCounts(caller, row))));
    },

    retrieveMessageBatch: messageObject,

    async cancelMessageBatch(caller, id) {
      const batch = await requireBatch(caller, id, 'anthropic');
      // why: Anthropic answers a cancel of an ended batch with the batch as it is.
      if (!endedStatuses.includes(batch.status)) await cancel(caller, batch);
      return messageObject(caller, id);
    },

    async messageBatchResults(caller, id) {
      const batch = await requireBatch(caller, id, 'anthropic');
      if (!endedStatuses.includes(batch.status)) {
        throw errors.conflict(
          `The message batch '${id}' is still processing; its results are ready once it has ended.`,
          'Poll the batch until processing_status is "ended".',
        );
      }
      const lines: FinishedLine[] = await finishedLines(databaseOf(caller), id);
      return lines
        .filter((line) => line.result !== null)
        .map((line) => `${JSON.stringify(line.result)}\n`)
        .join('');
    },

    async deleteMessageBatch(caller, id) {
      const batch = await requireBatch(caller, id, 'anthropic');
      if (!endedStatuses.includes(batch.status)) {
        throw errors.conflict(
          `The message batch '${id}' is still processing and cannot be deleted.`,
          'Cancel it first, and delete it once processing_status is "ended".',
        );
      }
      if (!(await deleteBatch(databaseOf(caller), caller.organizationId, id)))
        throw batchNotFound(id, 'anthropic');
      return { id, type: 'message_batch_deleted' };
    },

    sweep: () => execution.sweep(),
  };
}
