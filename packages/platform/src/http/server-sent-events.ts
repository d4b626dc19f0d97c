import type { ServerResponse } from 'node:http';

/** Buffered text beyond which `send` writes at once and reports backpressure. */
const flushThresholdCharacters = 16 * 1024;

/**
 * Writes Server-Sent Events with backpressure: `send` resolves at once while the socket keeps up
 * and waits for 'drain' when it does not, so a slow client never grows our memory.
 *
 * Events sent in one burst (one upstream read often carries a hundred) are joined and written
 * once, when the current turn's microtasks are done (process.nextTick), instead of one socket
 * write, one HTTP chunk and one system call per event; the client sees them no later than before.
 * The first event is the exception: it goes out at once, with the headers, so the time to first
 * byte never includes the rest of its burst.
 */
export class ServerSentEventWriter {
  #response: ServerResponse;
  #buffered = '';
  #flushScheduled = false;
  #sentFirst = false;
  /** The last write filled the socket: the next `send` waits for 'drain'. */
  #full = false;

  constructor(response: ServerResponse) {
    this.#response = response;
  }

  get closed(): boolean {
    return this.#response.destroyed || this.#response.writableEnded;
  }

  open(status: number, headers: Record<string, string>): void {
    this.#response.writeHead(status, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headers,
    });
  }

  /**
   * Writes one event (named when `event` is given, with an `id:` a client resumes from with
   * Last-Event-ID when `id` is given); resolves at once unless the socket is full.
   */
  send(data: string, event?: string, id?: string): Promise<void> | undefined {
    if (this.closed) return undefined;
    const prefix = (id === undefined ? '' : `id: ${id}\n`) + (event === undefined ? '' : `event: ${event}\n`);
    return this.#write(`${prefix}data: ${data}\n\n`);
  }

  /** A comment line (`: text`), e.g. a keep-alive that proxies must not mistake for an idle stream. */
  comment(text: string): Promise<void> | undefined {
    if (this.closed) return undefined;
    return this.#write(`: ${text}\n\n`);
  }

  #write(frame: string): Promise<void> | undefined {
    this.#buffered += frame;
    if (!this.#sentFirst || this.#buffered.length >= flushThresholdCharacters) {
      this.#sentFirst = true;
      this.#flush();
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(() => this.#flush());
    }
    return this.#full ? this.#drained() : undefined;
  }

  end(): void {
    this.#flush();
    if (!this.closed) this.#response.end();
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#buffered === '') return;
    const text = this.#buffered;
    this.#buffered = '';
    if (this.closed) return;
    this.#full = !this.#response.write(text);
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#full = false;
        this.#response.off('drain', done);
        this.#response.off('close', done);
        resolve();
      };
      this.#response.once('drain', done);
      this.#response.once('close', done);
    });
  }
}
