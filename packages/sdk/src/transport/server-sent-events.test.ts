import { describe, expect, it } from 'vitest';
import { parseServerSentEvents, type ServerSentEvent } from './server-sent-events.ts';

/** A body delivering `pieces` as separate reads, as a network does. */
function body(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function parse(pieces: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of parseServerSentEvents(body(pieces))) events.push(event);
  return events;
}

describe('parseServerSentEvents', () => {
  it('reads ids, names and multi-line data, across reads split anywhere', async () => {
    const text =
      'id: 1\nevent: run-start\ndata: {"a":1}\n\n: keep-alive\n\nid: 2\ndata: line one\ndata: line two\n\n';
    const expected = [
      { id: '1', event: 'run-start', data: '{"a":1}', retry: undefined },
      { id: '2', event: 'message', data: 'line one\nline two', retry: undefined },
    ];
    expect(await parse([text])).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await parse([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    }
  });

  it('accepts CRLF and CR line endings, also split between reads', async () => {
    expect(await parse(['data: a\r', '\n\r\ndata: b\r\r'])).toEqual([
      { id: undefined, event: 'message', data: 'a', retry: undefined },
      { id: undefined, event: 'message', data: 'b', retry: undefined },
    ]);
  });

  it('keeps the last id for later events, reads retry, and drops an unfinished final event', async () => {
    const events = await parse(['id: 7\nretry: 500\ndata: x\n\ndata: y\n\ndata: cut off']);
    expect(events).toEqual([
      { id: '7', event: 'message', data: 'x', retry: 500 },
      { id: '7', event: 'message', data: 'y', retry: undefined },
    ]);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: héllo ✓\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 8));
        controller.enqueue(bytes.subarray(8));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const event of parseServerSentEvents(stream)) events.push(event);
    expect(events.map((event) => event.data)).toEqual(['héllo ✓']);
  });
});
