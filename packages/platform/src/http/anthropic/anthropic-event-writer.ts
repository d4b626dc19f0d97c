import type { ServerResponse } from 'node:http';
import { ServerSentEventWriter } from '../server-sent-events.ts';

/**
 * Writes Anthropic's named events (`event: <type>` then `data: <json>`): its SDKs skip events
 * without a name. Opening and ending are the shared writer's; sending keeps its backpressure.
 */
export class AnthropicEventWriter {
  readonly #writer: ServerSentEventWriter;

  constructor(response: ServerResponse) {
    this.#writer = new ServerSentEventWriter(response);
  }

  open(status: number, headers: Record<string, string>): void {
    this.#writer.open(status, headers);
  }

  /** Resolves at once while the socket keeps up; otherwise waits for 'drain' (or 'close'). */
  send(event: { type: string }): Promise<void> | undefined {
    return this.#writer.send(JSON.stringify(event), event.type);
  }

  end(): void {
    this.#writer.end();
  }
}
