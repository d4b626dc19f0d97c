import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../errors/index.ts';
import { parseBatchInput } from './batch-input-lines.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const line = (customId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'm' },
    ...extra,
  });

function refusal(text: string | Uint8Array, maximumLines = 10) {
  try {
    parseBatchInput(typeof text === 'string' ? encode(text) : text, maximumLines);
  } catch (error) {
    if (isPlatformError(error)) return { status: error.status, param: error.param, message: error.message };
    throw error;
  }
  throw new Error('the input was accepted');
}

describe('batch input files', () => {
  it('reads each non-empty line, CRLF included, numbering them from 0', () => {
    const lines = parseBatchInput(encode(`${line('a')}\r\n\n${line('b', { url: '/v1/embeddings' })}\n`), 10);
    expect(lines).toEqual([
      { index: 0, lineNumber: 1, customId: 'a', url: '/v1/chat/completions', body: { model: 'm' } },
      { index: 1, lineNumber: 3, customId: 'b', url: '/v1/embeddings', body: { model: 'm' } },
    ]);
  });

  it('names the first bad line, 1-based, as the file counts them', () => {
    expect(refusal(`${line('a')}\n\n{not json`)).toMatchObject({
      status: 400,
      param: 'file',
      message: expect.stringContaining('Line 3 of the file: not valid JSON'),
    });
    expect(refusal(`${line('a')}\n[1]`).message).toContain('Line 2 of the file: not a JSON object');
    expect(refusal(`${line('a')}\n${line('a')}`).message).toContain("custom_id 'a' repeats line 1");
    expect(refusal(line('', {})).message).toContain("'custom_id' must be a string");
    expect(refusal(line('a', { method: 'GET' })).message).toContain("'method' must be");
    expect(refusal(line('a', { url: '/v1/images/generations' })).message).toContain("'url' must be one of");
    expect(refusal(line('a', { body: 'text' })).message).toContain("'body' must be a JSON object");
  });

  it('refuses empty files, files over the line limit and bytes that are not UTF-8', () => {
    expect(refusal('\n\n').message).toContain('holds no requests');
    expect(refusal([line('a'), line('b'), line('c')].join('\n'), 2).message).toContain(
      'more than 2 requests',
    );
    expect(refusal(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])).message).toContain('not UTF-8');
  });
});
