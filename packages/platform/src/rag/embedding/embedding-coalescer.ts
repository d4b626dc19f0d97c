import { defaultEmbeddingBatchLimits, type EmbeddingBatchLimits } from './embed-in-batches.ts';

/** Texts one ingestion job wants embedded, as one caller with one model. */
export interface EmbeddingRequest<Caller> {
  /** Requests with the same key may share a call: the same caller and model. */
  key: string;
  caller: Caller;
  model: string;
  texts: readonly string[];
  tokenCounts: readonly number[];
  /** The call's request id when this request is sent alone. */
  requestId: string;
}

export interface EmbeddingCoalescer<Caller> {
  /** Resolves with one vector per text, in order; rejects with the shared call's error. */
  embed(request: EmbeddingRequest<Caller>): Promise<number[][]>;
  /** Sends whatever is waiting now. */
  flush(): void;
}

interface Waiting<Caller> {
  request: EmbeddingRequest<Caller>;
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
}

interface Group<Caller> {
  waiting: Waiting<Caller>[];
  inputs: number;
  tokens: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Joins the embedding requests of concurrent ingestion jobs into shared calls, so bulk ingestion
 * of many small documents costs one gateway call per batch rather than one per document. A group
 * (one caller and model) is sent when the next request would overflow the batch limits, or
 * `lingerMs` after its first request arrived. A request that fills a batch on its own is sent at
 * once. `call` receives the joined texts and the request id: the request's own when it is alone,
 * `sharedRequestId()` when several share the call (each call must have a unique id).
 */
export function createEmbeddingCoalescer<Caller>(options: {
  call: (caller: Caller, model: string, texts: string[], requestId: string) => Promise<number[][]>;
  sharedRequestId: () => string;
  lingerMs?: number;
  limits?: EmbeddingBatchLimits;
}): EmbeddingCoalescer<Caller> {
  const limits = options.limits ?? defaultEmbeddingBatchLimits;
  const lingerMs = options.lingerMs ?? 5;
  const groups = new Map<string, Group<Caller>>();

  const send = (key: string) => {
    const group = groups.get(key);
    if (!group) return;
    groups.delete(key);
    if (group.timer) clearTimeout(group.timer);
    const [first] = group.waiting;
    if (!first) return;
    const texts = group.waiting.flatMap((entry) => [...entry.request.texts]);
    const requestId = group.waiting.length === 1 ? first.request.requestId : options.sharedRequestId();
    options.call(first.request.caller, first.request.model, texts, requestId).then(
      (vectors) => {
        if (vectors.length !== texts.length) {
          const error = new Error(
            `The embedding model returned ${vectors.length} vectors for ${texts.length} inputs.`,
          );
          for (const entry of group.waiting) entry.reject(error);
          return;
        }
        let offset = 0;
        for (const entry of group.waiting) {
          entry.resolve(vectors.slice(offset, offset + entry.request.texts.length));
          offset += entry.request.texts.length;
        }
      },
      (error: unknown) => {
        for (const entry of group.waiting) entry.reject(error);
      },
    );
  };

  return {
    embed(request) {
      return new Promise<number[][]>((resolve, reject) => {
        const tokens = request.tokenCounts.reduce((sum, count) => sum + count, 0);
        const existing = groups.get(request.key);
        if (
          existing &&
          (existing.inputs + request.texts.length > limits.maxInputs ||
            existing.tokens + tokens > limits.maxTokens)
        ) {
          send(request.key);
        }
        let group = groups.get(request.key);
        if (!group) {
          group = { waiting: [], inputs: 0, tokens: 0, timer: null };
          groups.set(request.key, group);
        }
        group.waiting.push({ request, resolve, reject });
        group.inputs += request.texts.length;
        group.tokens += tokens;
        if (group.inputs >= limits.maxInputs || group.tokens >= limits.maxTokens) {
          send(request.key);
        } else if (group.timer === null) {
          group.timer = setTimeout(() => send(request.key), lingerMs);
        }
      });
    },
    flush() {
      for (const key of [...groups.keys()]) send(key);
    },
  };
}
