import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { type Command, Option } from 'commander';
import { CliError, errorJson } from '../cli-error.ts';
import { type ActionBinder, positiveInteger } from '../command-kit.ts';
import type { CommandContext } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';
import { type DocumentAnswer, itemsOf } from '../kimi-client.ts';
import { createProgressReporter, type FileProgress, formatCount, renderTable } from '../output/index.ts';

const contentTypes: Record<string, string> = {
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv',
  '.json': 'application/json',
};

/** How many files upload at once. */
const uploadConcurrency = 3;

async function createKnowledgeBase(
  context: CommandContext,
  args: unknown[],
  options: { embeddingModel?: string },
): Promise<void> {
  const knowledgeBase = await (await context.client()).knowledgeBases.create({
    name: String(args[0]),
    ...(options.embeddingModel ? { embedding_model: options.embeddingModel } : {}),
  });
  context.printJson(knowledgeBase);
  context.print(`knowledge base ${knowledgeBase.id} created (${knowledgeBase.name})`);
}

async function listKnowledgeBases(context: CommandContext): Promise<void> {
  const list = await (await context.client()).knowledgeBases.list();
  context.printJson(list);
  context.print(
    renderTable(itemsOf(list), [
      { header: 'id', value: (base) => base.id },
      { header: 'name', value: (base) => base.name },
      { header: 'embedding model', value: (base) => base.embedding_model },
      { header: 'documents', value: (base) => formatCount(base.document_count ?? null), align: 'right' },
      { header: 'chunks', value: (base) => formatCount(base.chunk_count ?? null), align: 'right' },
    ]),
  );
}

interface IngestOutcome {
  file: string;
  document: DocumentAnswer | null;
  error: unknown;
}

async function ingestFiles(
  context: CommandContext,
  args: unknown[],
  options: { wait: boolean },
): Promise<void> {
  const knowledgeBaseId = String(args[0]);
  const files = (args[1] as string[]).map((path) => ({ path, name: basename(path) }));
  // why check first: a typo in the last name should not leave the first files half-ingested.
  const sizes = await Promise.all(
    files.map(async (file) => {
      try {
        const info = await stat(file.path);
        if (!info.isFile()) throw new Error('not a file');
        return info.size;
      } catch {
        throw new CliError(
          'FILE_NOT_FOUND',
          `Cannot read '${file.path}'.`,
          exitCodes.usage,
          'Check the path.',
        );
      }
    }),
  );
  const client = await context.client();
  const reporter = createProgressReporter(context, context.io.stderr as unknown as NodeJS.WritableStream);
  const outcomes: IngestOutcome[] = [];
  const ingestOne = async (index: number, progress: FileProgress) => {
    const file = files[index]!;
    const extension = extname(file.name).toLowerCase();
    try {
      const document = await client.knowledgeBases.upload(
        knowledgeBaseId,
        {
          name: file.name,
          data: new Uint8Array(await readFile(file.path)),
          ...(contentTypes[extension] ? { contentType: contentTypes[extension] } : {}),
        },
        { onProgress: (update) => progress.update(update), wait: options.wait },
      );
      if (document.status === 'failed')
        progress.fail(`failed: ${document.error?.message ?? 'ingestion failed'}`);
      else if (document.status === 'ready') progress.done(`ready (${document.chunk_count ?? 0} chunks)`);
      else progress.done(document.status);
      outcomes[index] = { file: file.path, document, error: null };
    } catch (error) {
      progress.fail(`failed: ${error instanceof Error ? error.message : String(error)}`);
      outcomes[index] = { file: file.path, document: null, error };
    }
  };
  const progressOf = files.map((file, index) => reporter.file(file.name, sizes[index] ?? 0));
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      await ingestOne(index, progressOf[index]!);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(uploadConcurrency, files.length) }, worker));
  } finally {
    reporter.stop();
  }
  context.printJson(
    outcomes.map((outcome) => ({
      file: outcome.file,
      document: outcome.document,
      error: outcome.error === null ? null : errorJson(outcome.error).error,
    })),
  );
  const thrown = outcomes.find((outcome) => outcome.error !== null);
  if (thrown) throw thrown.error;
  if (outcomes.some((outcome) => outcome.document?.status === 'failed'))
    context.exitCode = exitCodes.checkFailed;
}

async function searchKnowledgeBase(
  context: CommandContext,
  args: unknown[],
  options: { topK?: number; mode?: 'hybrid' | 'vector' | 'keyword' },
): Promise<void> {
  const query = (args[1] as string[]).join(' ');
  const result = await (await context.client()).knowledgeBases.search(String(args[0]), {
    query,
    ...(options.topK ? { top_k: options.topK } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
  });
  context.printJson(result);
  const hits = itemsOf(result);
  if (hits.length === 0) {
    context.print('no matches');
    return;
  }
  context.print(
    renderTable(
      hits.map((hit, index) => ({ ...hit, rank: index + 1 })),
      [
        { header: '#', value: (hit) => hit.rank, align: 'right' },
        { header: 'score', value: (hit) => hit.score.toFixed(4), align: 'right' },
        { header: 'title', value: (hit) => hit.title },
        { header: 'text', value: (hit) => (hit.text.length > 80 ? `${hit.text.slice(0, 79)}…` : hit.text) },
      ],
    ),
  );
}

/** `kimi kb create|list|ingest|search`. */
export function registerKnowledgeBaseCommands(program: Command, bind: ActionBinder): void {
  const kb = program.command('kb').description('Knowledge bases: create, ingest files, search.');
  kb.command('create')
    .argument('<name>')
    .description('Create a knowledge base.')
    .option('--embedding-model <model>', 'embedding model (default: the platform default, sim/embed)')
    .action(bind(createKnowledgeBase));
  kb.command('list').description("The organisation's knowledge bases.").action(bind(listKnowledgeBases));
  kb.command('ingest')
    .argument('<knowledge-base-id>')
    .argument('<files...>', 'PDF, HTML, CSV, JSON, Markdown or text files')
    .description('Upload files with a progress bar each (a line per milestone when not on a terminal).')
    .option('--no-wait', 'return once uploaded, without waiting for ingestion')
    .action(bind(ingestFiles));
  kb.command('search')
    .argument('<knowledge-base-id>')
    .argument('<query...>')
    .description('Search a knowledge base.')
    .option('-k, --top-k <n>', 'most hits', positiveInteger)
    .addOption(new Option('--mode <mode>', 'search mode').choices(['hybrid', 'vector', 'keyword']))
    .action(bind(searchKnowledgeBase));
}
