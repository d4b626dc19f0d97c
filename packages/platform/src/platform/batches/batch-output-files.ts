import type { Queryable } from '../../storage/db/index.ts';
import { insertFile, newFileId } from '../files/index.ts';
import type { BatchRecord, FinishedLine } from './batch-record.ts';

const encoder = new TextEncoder();

/**
 * Writes an OpenAI batch's output file (the lines that succeeded, in input order) and its error
 * file (lines that failed, expired or were cancelled), each only when it has a line, as
 * `batch_output` files of the batch's organisation. Returns their ids.
 */
export async function writeOutputFiles(
  database: Queryable,
  batch: BatchRecord,
  lines: readonly FinishedLine[],
  now: number,
): Promise<{ outputFileId: string | null; errorFileId: string | null }> {
  const output: string[] = [];
  const failed: string[] = [];
  for (const line of lines) {
    if (line.result === null) continue;
    (line.status === 'succeeded' ? output : failed).push(JSON.stringify(line.result));
  }
  const write = async (rows: string[], kind: 'output' | 'error') => {
    if (rows.length === 0) return null;
    const content = encoder.encode(`${rows.join('\n')}\n`);
    const id = newFileId();
    await insertFile(database, {
      id,
      organizationId: batch.organizationId,
      apiKeyId: batch.apiKeyId,
      purpose: 'batch_output',
      filename: `${batch.id}_${kind}.jsonl`,
      bytes: content.byteLength,
      content,
      createdAt: now,
      expiresAt: null,
    });
    return id;
  };
  return { outputFileId: await write(output, 'output'), errorFileId: await write(failed, 'error') };
}
