export interface ServerSentEvent {
  /** The `event:` field; undefined for unnamed events. */
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/**
 * Parses a Server-Sent Events body per the WHATWG spec: events end at a blank line, `data:` lines
 * join with newlines, comments (`:`) are skipped, and CRLF, CR or LF end lines. Bytes may arrive
 * split anywhere, even inside a multi-byte character.
 */
export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let id: string | undefined;
  let data: string[] = [];

  function* takeLines(final: boolean): Generator<ServerSentEvent> {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      // A lone CR at the end may be the first half of a CRLF still in flight.
      if (!match || (match[0] === '\r' && match.index === buffer.length - 1 && !final)) return;
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (data.length > 0) yield { event, data: data.join('\n'), id };
        event = undefined;
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id') id = value;
    }
  }

  // why: leaving this loop early (the caller stopped reading) ends the body's iteration, which
  // releases a WHATWG stream's lock or destroys a Node stream, freeing the connection.
  for await (const value of body) {
    buffer += decoder.decode(value, { stream: true });
    yield* takeLines(false);
  }
  buffer += decoder.decode();
  if (buffer.length > 0 && !buffer.endsWith('\n')) buffer += '\n';
  yield* takeLines(true);
  // A final event without its blank line is still delivered.
  if (data.length > 0) yield { event, data: data.join('\n'), id };
}
