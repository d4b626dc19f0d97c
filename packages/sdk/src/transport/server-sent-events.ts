/** One Server-Sent Event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface ServerSentEvent {
  /** `event:`; 'message' when the server named none. */
  event: string;
  data: string;
  /** `id:` of this event, when the server sent one. */
  id: string | undefined;
  /** `retry:` in milliseconds, when the server sent one. */
  retry: number | undefined;
}

/**
 * Parses an SSE byte stream into events, incrementally: events are yielded as soon as their blank
 * line arrives, and a final event without one is dropped (the spec's rule for an interrupted stream).
 * Comments (`: keep-alive`) are skipped.
 */
export async function* parseServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let retry: number | undefined;
  try {
    let ended = false;
    while (!ended) {
      const { done, value } = await reader.read();
      ended = done;
      if (done) {
        // a lone \r at the very end is a line ending after all
        if (buffer.endsWith('\r')) buffer += '\n';
      } else {
        buffer += decoder.decode(value, { stream: true });
      }
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline !== -1) {
        // why: a lone \r at the end of the buffer may be the first half of \r\n
        if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) {
            yield { event: event || 'message', data: data.join('\n'), id, retry };
          }
          data = [];
          event = '';
          retry = undefined;
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          let value = colon === -1 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'data') data.push(value);
          else if (field === 'event') event = value;
          else if (field === 'id' && !value.includes('\u0000')) id = value;
          else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
        }
        newline = buffer.search(/\r\n|\r|\n/);
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
