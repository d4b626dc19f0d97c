import { errors, type PlatformError } from '../../errors/index.ts';

/** The endpoints a line of a batch input file may call. */
export const batchEndpoints = ['/v1/chat/completions', '/v1/embeddings', '/v1/responses'] as const;
export type BatchEndpoint = (typeof batchEndpoints)[number];

/** One request of an OpenAI batch input file (`{custom_id, method, url, body}`), 0-based. */
export interface BatchInputLine {
  index: number;
  /** The line of the file it is on, 1-based (blank lines count). */
  lineNumber: number;
  customId: string;
  url: BatchEndpoint;
  body: Record<string, unknown>;
}

const maximumCustomIdLength = 512;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function lineError(lineNumber: number, message: string, hint: string): PlatformError {
  return errors.invalidRequest('file', `Line ${lineNumber} of the file: ${message}`, hint);
}

/**
 * Reads a batch input file (JSONL, UTF-8): each non-empty line one JSON object with a
 * `custom_id` unique within the file, `method: "POST"`, a supported `url` and an object `body`.
 * Throws a 400 naming the first bad line (1-based), so the file is fixed before a batch starts.
 * The body itself is checked when its line runs: a bad body fails that line, never the batch.
 */
export function parseBatchInput(content: Uint8Array, maximumLines: number): BatchInputLine[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw errors.invalidRequest(
      'file',
      'The file is not UTF-8 text.',
      'Upload a JSONL file encoded as UTF-8.',
    );
  }
  const lines: BatchInputLine[] = [];
  const seen = new Map<string, number>();
  const rows = text.split('\n');
  for (let position = 0; position < rows.length; position += 1) {
    const raw = (rows[position] ?? '').replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const lineNumber = position + 1;
    if (lines.length >= maximumLines) {
      throw errors.invalidRequest(
        'file',
        `The file has more than ${maximumLines} requests.`,
        'Split it into several batches, or raise files.max_lines in kimi.config.yaml.',
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw lineError(
        lineNumber,
        `not valid JSON (${(error as Error).message}).`,
        'Write one JSON object per line.',
      );
    }
    if (!isObject(parsed))
      throw lineError(lineNumber, 'not a JSON object.', 'Write one JSON object per line.');
    const { custom_id: customId, method, url, body } = parsed;
    if (typeof customId !== 'string' || customId.length === 0 || customId.length > maximumCustomIdLength) {
      throw lineError(
        lineNumber,
        `'custom_id' must be a string of 1 to ${maximumCustomIdLength} characters.`,
        'Give every line its own custom_id.',
      );
    }
    const earlier = seen.get(customId);
    if (earlier !== undefined) {
      throw lineError(
        lineNumber,
        `the custom_id '${customId.slice(0, 100)}' repeats line ${earlier}.`,
        'Every custom_id must be unique within the file.',
      );
    }
    seen.set(customId, lineNumber);
    if (method !== 'POST') throw lineError(lineNumber, '\'method\' must be "POST".', 'Set "method": "POST".');
    if (typeof url !== 'string' || !(batchEndpoints as readonly string[]).includes(url)) {
      throw lineError(
        lineNumber,
        `'url' must be one of ${batchEndpoints.join(', ')}.`,
        'Set url to the endpoint the line calls.',
      );
    }
    if (!isObject(body))
      throw lineError(lineNumber, "'body' must be a JSON object.", 'Put the request body under "body".');
    lines.push({ index: lines.length, lineNumber, customId, url: url as BatchEndpoint, body });
  }
  if (lines.length === 0) {
    throw errors.invalidRequest('file', 'The file holds no requests.', 'Write one JSON request per line.');
  }
  return lines;
}
