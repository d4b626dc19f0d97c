import type {
  BatchChatResult,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  Usage,
} from '../api-types.ts';
import { errorFromBody } from '../errors/index.ts';
import { parseServerSentEvents, type Transport } from '../transport/index.ts';

export interface ChatStreamOptions {
  signal?: AbortSignal;
}

/**
 * A streaming chat completion: iterate it for chunks (once), or call `text()` for the whole answer.
 * `finalUsage` is set once the stream has ended (the SDK asks for `stream_options.include_usage`).
 */
export class ChatStream implements AsyncIterable<ChatCompletionChunk> {
  finalUsage: Usage | undefined;
  readonly #open: () => Promise<Response>;
  #started = false;

  constructor(open: () => Promise<Response>) {
    this.#open = open;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    if (this.#started) throw new Error('A ChatStream can be iterated only once.');
    this.#started = true;
    const response = await this.#open();
    if (!response.body) return;
    for await (const event of parseServerSentEvents(response.body)) {
      if (event.data === '[DONE]') return;
      const parsed = JSON.parse(event.data) as ChatCompletionChunk | { error: unknown };
      if ('error' in parsed && parsed.error) throw errorFromBody(parsed, undefined, response.headers);
      const chunk = parsed as ChatCompletionChunk;
      if (chunk.usage) this.finalUsage = chunk.usage;
      // why: the usage-only chunk (no choices) carries no text; it is still a chunk the caller may want
      yield chunk;
    }
  }

  /** Reads the whole stream and returns the text of choice 0. */
  async text(): Promise<string> {
    let text = '';
    for await (const chunk of this) {
      for (const choice of chunk.choices) if (choice.index === 0) text += choice.delta.content ?? '';
    }
    return text;
  }
}

/** POST /v1/chat/completions and /v1/batch/chat/completions. */
export class ChatResource {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  create(request: ChatCompletionRequest, options: ChatStreamOptions = {}): Promise<ChatCompletion> {
    return this.#transport.json<ChatCompletion>({
      method: 'POST',
      path: '/v1/chat/completions',
      json: { ...request, stream: false },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  stream(request: ChatCompletionRequest, options: ChatStreamOptions = {}): ChatStream {
    const body = {
      ...request,
      stream: true,
      stream_options: request.stream_options ?? { include_usage: true },
    };
    return new ChatStream(() =>
      this.#transport.stream({
        method: 'POST',
        path: '/v1/chat/completions',
        json: body,
        headers: { accept: 'text/event-stream' },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  }

  /** Many non-streaming requests in one call; each item has its own status (errors do not throw). */
  batch(
    requests: ChatCompletionRequest[],
    options: { max_concurrency?: number; signal?: AbortSignal } = {},
  ): Promise<BatchChatResult> {
    return this.#transport.json<BatchChatResult>({
      method: 'POST',
      path: '/v1/batch/chat/completions',
      json: {
        requests,
        ...(options.max_concurrency === undefined ? {} : { max_concurrency: options.max_concurrency }),
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
}
