import type { ServerResponse } from 'node:http';

/**
 * Writes Server-Sent Events with backpressure: `send` resolves at once while the socket keeps up
 * and waits for 'drain' when it does not, so a slow client never grows our memory.
 */
export class ServerSentEventWriter {
  #response: ServerResponse;

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

  /** Writes one event (named when `event` is given); resolves at once unless the socket is full. */
  send(data: string, event?: string): Promise<void> | undefined {
    if (this.closed) return undefined;
    const frame = event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
    if (this.#response.write(frame)) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        this.#response.off('drain', done);
        this.#response.off('close', done);
        resolve();
      };
      this.#response.once('drain', done);
      this.#response.once('close', done);
    });
  }

  end(): void {
    if (!this.closed) this.#response.end();
  }
}
