import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ServerSentEventWriter } from './server-sent-events.ts';

/** Records every socket write; `full` makes write report backpressure. */
function recordingResponse(options: { full?: boolean } = {}) {
  const writes: string[] = [];
  const response = Object.assign(new EventEmitter(), {
    destroyed: false,
    writableEnded: false,
    writeHead: () => response,
    write(text: string) {
      writes.push(text);
      return !options.full;
    },
    end() {
      response.writableEnded = true;
    },
  });
  return { writes, response: response as unknown as ServerResponse & EventEmitter };
}

const nextTick = () => new Promise((resolve) => process.nextTick(resolve));

describe('ServerSentEventWriter', () => {
  it('sends the first event at once and joins the rest of a burst into one write', async () => {
    const { writes, response } = recordingResponse();
    const writer = new ServerSentEventWriter(response);
    writer.open(200, {});
    for (let index = 0; index < 5; index += 1) writer.send(`{"n":${index}}`);
    expect(writes).toEqual(['data: {"n":0}\n\n']);
    await nextTick();
    expect(writes).toEqual([
      'data: {"n":0}\n\n',
      'data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\ndata: {"n":4}\n\n',
    ]);
    writer.send('[DONE]', 'done');
    writer.end();
    expect(writes.at(-1)).toBe('event: done\ndata: [DONE]\n\n');
    expect(response.writableEnded).toBe(true);
  });

  it('waits for drain once the socket is full, and resolves when the client goes away', async () => {
    const { response } = recordingResponse({ full: true });
    const writer = new ServerSentEventWriter(response);
    writer.open(200, {});
    expect(writer.send('first')).toBeInstanceOf(Promise);
    let drained = false;
    const waiting = writer.send('second');
    void waiting?.then(() => {
      drained = true;
    });
    await nextTick();
    expect(drained).toBe(false);
    response.emit('close');
    await waiting;
    expect(drained).toBe(true);
  });
});
