import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from './server-sent-events.ts';

function streamOf(pieces: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces)
        controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(body)) events.push(event);
  return events;
}

const sample =
  ': keep-alive comment\n' +
  'event: message_start\ndata: {"a":1}\n\n' +
  'data: first line\r\ndata: second line\r\n\r\n' +
  'id: 7\rdata: ünïcödé ✓\r\r' +
  'data: [DONE]\n\n';

const expected: ServerSentEvent[] = [
  { event: 'message_start', data: '{"a":1}', id: undefined },
  { event: undefined, data: 'first line\nsecond line', id: undefined },
  { event: undefined, data: 'ünïcödé ✓', id: '7' },
  { event: undefined, data: '[DONE]', id: '7' },
];

describe('readServerSentEvents', () => {
  it('parses events, multi-line data, comments, ids and every line ending', async () => {
    expect(await collect(streamOf([sample]))).toEqual(expected);
  });

  it('gives the same events however the bytes are split, even inside a character or a CRLF', async () => {
    const bytes = new TextEncoder().encode(sample);
    for (const size of [1, 2, 3, 5, 7, 13]) {
      const pieces: Uint8Array[] = [];
      for (let offset = 0; offset < bytes.length; offset += size)
        pieces.push(bytes.slice(offset, offset + size));
      expect(await collect(streamOf(pieces)), `pieces of ${size}`).toEqual(expected);
    }
  });

  it('delivers a final event that lacks its blank line', async () => {
    expect(await collect(streamOf(['data: tail']))).toEqual([
      { event: undefined, data: 'tail', id: undefined },
    ]);
  });
});
