import type { ConfigFile } from '../config/index.ts';
import type { ChatGateway, EmbeddingGateway, UsageMeter } from '../gateway/index.ts';
import type { Database } from '../storage/db/index.ts';
import type { Clock, Tokenizer } from '../support/index.ts';
import type { Logger } from '../telemetry/index.ts';
import { type BatchServices, createBatchExecution, createBatchServices } from './batches/index.ts';
import { createFileServices, type FileServices } from './files/index.ts';
import type { KnowledgeRetrieval } from './knowledge/index.ts';
import type { PlatformPorts } from './platform-ports.ts';
import { createResponseServices, type ResponseServices, startRetentionSweep } from './responses/index.ts';

export interface ClientApiParts {
  database: Database;
  chat: ChatGateway;
  embeddings: EmbeddingGateway;
  /** Retrieval for `kimi.knowledge_bases` on responses. */
  knowledge: KnowledgeRetrieval;
  meter: UsageMeter;
  clock: Clock;
  tokenizer: Tokenizer;
  logger: Logger;
  config: () => ConfigFile;
}

export interface ClientApis {
  responses: ResponseServices;
  files: FileServices;
  batches: BatchServices;
  /** Stops the workers and sweeps these services started. */
  close(): Promise<void>;
}

/**
 * The APIs today's clients call by default, over the gateway: Responses (with its background
 * worker and retention sweep), Files, and Batches (with its line worker) — each worker started
 * unless the ports say this process serves the API only.
 */
export async function composeClientApis(ports: PlatformPorts, parts: ClientApiParts): Promise<ClientApis> {
  const { database, chat, embeddings, meter, clock, logger, config } = parts;
  const onError = (error: unknown, message: string) => logger.warn({ err: error }, message);
  const responses = createResponseServices({
    database,
    chat,
    knowledge: parts.knowledge,
    clock,
    tokenizer: parts.tokenizer,
    jobQueue: ports.jobQueue,
    eventBus: ports.eventBus,
    settings: () => config().responses,
    ...(ports.responses?.background ? { background: ports.responses.background } : {}),
    onError,
  });
  if (ports.responses?.runWorker ?? true) await responses.startWorker();
  const retention = startRetentionSweep({
    responses,
    intervalMs: 3_600_000,
    onError: (error) => onError(error, 'sweeping expired responses failed'),
  });
  const files = createFileServices({ database, clock, settings: () => config().files });
  const execution = createBatchExecution({
    database,
    jobQueue: ports.jobQueue,
    chat,
    embeddings,
    responses,
    meter,
    clock,
    settings: () => config().batches,
    onError,
  });
  const batches = createBatchServices({
    database,
    clock,
    execution,
    maximumLines: () => config().files.max_lines,
  });
  if (ports.batches?.runWorker ?? true) await execution.startWorker();
  return {
    responses,
    files,
    batches,
    async close() {
      await execution.close();
      await responses.close();
      await retention.close();
    },
  };
}
