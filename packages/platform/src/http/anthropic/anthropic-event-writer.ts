import type { ServerResponse } from 'node:http';
import { ServerSentEventWriter } from '../server-sent-events.ts';

/**
 * Writes Anthropic's named events (`event: <type>` then `data: <json>`): its SDKs skip events
 * without a name. Opening and ending are the shared writer's; sending keeps its backpressure.
 */
export class AnthropicEventWriter {
  readonly #response: ServerResponse;
  readonly #writer: ServerSentEventWriter;

  constructor(response: ServerResponse) {
    this.#response = response;
    this.#writer = new ServerSentEventWriter(response);
  }

  open(status: number, headers: Record<string, string>): void {
    this.#writer.open(status, headers);
  }

  /** Resolves at once while the socket keeps up; otherwise waits for 'drain' (or 'close'). */
  send(event: { type: string }): Promise<void> | undefined {
    if (this.#writer.closed) return undefined;
    if (this.#response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)) return undefined;
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
    this.#writer.end();
  }
}
