/**
 * `npm run bench:rag`: knowledge-base search quality on the Cranfield collection, through the
 * public API of `npm start`'s platform (embedded store, simulated embeddings), beside a reference
 * BM25 in this process; then search latency at 1,400 and at `--chunks` chunks (default 100,000,
 * padded with synthetic documents). Writes bench/results/rag.md. Loopback only; bounded in count.
 */
import { writeFile } from 'node:fs/promises';
import {
  defaultFusionWeights,
  fusionDepth,
  reciprocalRankConstant,
} from '../../packages/platform/src/rag/index.ts';
import { installCleanup } from '../support/cleanup.ts';
import { machineFacts } from '../support/machine-facts.ts';
import { summarise } from '../support/percentiles.ts';
import { type Cranfield, loadCranfield, splitOf } from './cranfield.ts';
import { fusionSweep } from './fusion-sweep.ts';
import { type QualityFigures, quality } from './metrics.ts';
import { startEmbeddedPlatform } from './platform-process.ts';
import { buildReferenceBm25 } from './reference-bm25.ts';

type Mode = 'keyword' | 'vector' | 'hybrid';
const modes: Mode[] = ['keyword', 'vector', 'hybrid'];
const datasetDirectory = new URL('../../../shared/datasets/cranfield/', import.meta.url);
const resultsPath = new URL('../results/rag.md', import.meta.url);

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

function progress(line: string): void {
  process.stderr.write(`[bench:rag ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

interface Api {
  post<Answer>(path: string, body: unknown): Promise<Answer>;
  get<Answer>(path: string): Promise<Answer>;
}

function apiOf(origin: string, secret: string): Api {
  return {
    async post<Answer>(path: string, body: unknown): Promise<Answer> {
      const response = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(600_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 500)}`);
      return JSON.parse(text) as Answer;
    },
    async get<Answer>(path: string): Promise<Answer> {
      const response = await fetch(`${origin}${path}`, {
        headers: { authorization: `Bearer ${secret}` },
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 500)}`);
      return JSON.parse(text) as Answer;
    },
  };
}

interface Hit {
  external_id: string | null;
}

/**
 * Uploads documents in bulk requests of 100 (each answered 202: ingestion is a queue job), then
 * waits until the knowledge base holds them all ready; returns the seconds from the first upload.
 */
async function ingest(
  api: Api,
  knowledgeBaseId: string,
  documents: Array<{ external_id: string; title: string; text: string }>,
  label: string,
): Promise<number> {
  const started = performance.now();
  const before = (await api.get<{ document_count: number }>(`/v1/knowledge-bases/${knowledgeBaseId}`))
    .document_count;
  for (let offset = 0; offset < documents.length; offset += 100) {
    const queued = await api.post<{ data: Array<{ status: string }> }>(
      `/v1/knowledge-bases/${knowledgeBaseId}/documents`,
      { documents: documents.slice(offset, offset + 100) },
    );
    const failed = queued.data.filter((document) => document.status === 'failed');
    if (failed.length > 0) throw new Error(`${label}: ${failed.length} documents failed at upload`);
    if ((offset / 100) % 20 === 0 || offset + 100 >= documents.length) {
      progress(
        `${label}: ${Math.min(offset + 100, documents.length).toLocaleString('en')} of ${documents.length.toLocaleString('en')} documents queued`,
      );
    }
  }
  const target = before + documents.length;
  let lastReport = 0;
  let lastCount = -1;
  let lastChange = performance.now();
  for (;;) {
    const base = await api.get<{ document_count: number }>(`/v1/knowledge-bases/${knowledgeBaseId}`);
    if (base.document_count >= target) break;
    if (base.document_count !== lastCount) {
      lastCount = base.document_count;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > 120_000) {
      throw new Error(
        `${label}: no document became ready for 2 minutes (${lastCount - before} of ${documents.length})`,
      );
    }
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      progress(`${label}: ${(base.document_count - before).toLocaleString('en')} documents ready`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return (performance.now() - started) / 1000;
}

/** Each query's ranking of document ids (first hit per document), and each search's latency. */
async function searchAll(
  api: Api,
  knowledgeBaseId: string,
  queries: Cranfield['queries'],
  mode: Mode,
  topK: number,
): Promise<{ rankings: Map<number, string[]>; latencies: number[] }> {
  const rankings = new Map<number, string[]>();
  const latencies: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    const answer = await api.post<{ data: Hit[] }>(`/v1/knowledge-bases/${knowledgeBaseId}/search`, {
      query: query.text,
      mode,
      top_k: topK,
    });
    latencies.push(performance.now() - started);
    const seen = new Set<string>();
    const ranked: string[] = [];
    for (const hit of answer.data) {
      if (hit.external_id && !seen.has(hit.external_id)) {
        seen.add(hit.external_id);
        ranked.push(hit.external_id);
      }
    }
    rankings.set(query.number, ranked);
  }
  return { rankings, latencies };
}

/** Synthetic padding: sentences of the collection's own words, so the index grows realistically. */
function paddingDocuments(
  collection: Cranfield,
  count: number,
): Array<{ external_id: string; title: string; text: string }> {
  const words = collection.documents
    .flatMap((document) => document.text.split(' '))
    .filter((word) => /^[a-z]{3,}$/.test(word));
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed;
  };
  return Array.from({ length: count }, (_, index) => ({
    external_id: `padding-${index}`,
    title: `Padding ${index}`,
    text: Array.from({ length: 60 }, () => words[next() % words.length]).join(' '),
  }));
}

const format = (value: number) => value.toFixed(4);

function qualityRows(figures: Array<[string, QualityFigures, QualityFigures]>): string {
  return figures
    .map(
      ([name, development, evaluation]) =>
        `| ${name} | ${format(development.ndcgAt10)} | ${format(development.meanAveragePrecision)} | ${format(development.recallAt100)} | ${format(evaluation.ndcgAt10)} | ${format(evaluation.meanAveragePrecision)} | ${format(evaluation.recallAt100)} |`,
    )
    .join('\n');
}

async function main(): Promise<void> {
  installCleanup();
  const targetChunks = argument('chunks', 100_000);
  const collection = loadCranfield(datasetDirectory);
  const development = collection.queries.filter((query) => splitOf(query) === 'development');
  const evaluation = collection.queries.filter((query) => splitOf(query) === 'evaluation');
  progress(`Cranfield: ${collection.documents.length} documents, ${collection.queries.length} queries`);

  const reference = buildReferenceBm25(collection.documents);
  const referenceRankings = new Map(
    collection.queries.map((query) => [query.number, reference.search(query.text, 100)]),
  );
  const qualityOf = (rankings: Map<number, string[]>, queries: Cranfield['queries']) =>
    quality(
      new Map(queries.map((query) => [query.number, rankings.get(query.number) ?? []])),
      collection.judgements,
    );

  progress('starting the platform (npm start, embedded store)');
  const platform = await startEmbeddedPlatform();
  try {
    const api = apiOf(platform.origin, platform.secret);
    const knowledgeBase = await api.post<{ id: string }>('/v1/knowledge-bases', {
      name: 'cranfield',
      chunking: { max_tokens: 512, overlap_tokens: 64 },
    });
    const ingestSeconds = await ingest(
      api,
      knowledgeBase.id,
      // The text the reference indexes too: title and abstract. Two records (471, 995) are empty,
      // so there is nothing to upload; the reference finds nothing in them either.
      collection.documents
        .map((document) => ({
          external_id: document.id,
          title: document.title,
          text: `${document.title}\n\n${document.text}`.trim(),
        }))
        .filter((document) => document.text !== ''),
      'Cranfield',
    );
    const figures: Array<[string, QualityFigures, QualityFigures]> = [
      [
        'reference BM25 (wink-bm25-text-search)',
        qualityOf(referenceRankings, development),
        qualityOf(referenceRankings, evaluation),
      ],
    ];
    const smallLatency = new Map<Mode, number[]>();
    const rankingsByMode = new Map<Mode, Map<number, string[]>>();
    for (const mode of modes) {
      progress(`searching the ${collection.queries.length} queries, ${mode}`);
      const { rankings, latencies } = await searchAll(api, knowledgeBase.id, collection.queries, mode, 100);
      figures.push([mode, qualityOf(rankings, development), qualityOf(rankings, evaluation)]);
      smallLatency.set(mode, latencies);
      rankingsByMode.set(mode, rankings);
    }
    const sweep = fusionSweep(
      rankingsByMode.get('vector')!,
      rankingsByMode.get('keyword')!,
      development,
      collection.judgements,
    );

    const padding = Math.max(0, targetChunks - collection.documents.length);
    progress(`padding the knowledge base to about ${targetChunks.toLocaleString('en')} chunks`);
    const paddingSeconds = await ingest(
      api,
      knowledgeBase.id,
      paddingDocuments(collection, padding),
      'padding',
    );
    const largeLatency = new Map<Mode, number[]>();
    for (const mode of modes) {
      progress(`searching at ${targetChunks.toLocaleString('en')} chunks, ${mode}`);
      largeLatency.set(
        mode,
        (await searchAll(api, knowledgeBase.id, collection.queries, mode, 10)).latencies,
      );
    }

    const facts = machineFacts();
    const latencyRow = (mode: Mode) => {
      const small = summarise(smallLatency.get(mode) ?? []);
      const large = summarise(largeLatency.get(mode) ?? []);
      const p95 = (values: number[]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
      };
      return `| ${mode} | ${small.p50.toFixed(1)} | ${small.p99.toFixed(1)} | ${large.p50.toFixed(1)} | ${p95(largeLatency.get(mode) ?? []).toFixed(1)} | ${large.p99.toFixed(1)} |`;
    };
    const report = `# Knowledge-base search on the Cranfield collection

    npm run bench:rag${targetChunks === 100_000 ? '' : ` -- --chunks ${targetChunks}`}

${new Date().toISOString().slice(0, 10)} on ${facts.cpuModel} (${facts.cores} cores, ${facts.memoryGibibytes} GiB, Node ${facts.nodeVersion}).
The platform as \`npm start\` runs it (PGlite, simulated embedding model \`sim/embed\`), every call
through the public API over loopback. Quality: the 225 queries against the 1,400 abstracts, each
ranking the top 100 documents (a document's first chunk counts), graded gains 5 − relevance;
odd-numbered queries are the development split, even-numbered ones the evaluation split (never
tuned on). The reference ranks the same title + abstract text in this process.

| ranking | dev nDCG@10 | dev MAP | dev recall@100 | eval nDCG@10 | eval MAP | eval recall@100 |
| --- | --- | --- | --- | --- | --- | --- |
${qualityRows(figures)}

\`hybrid\` is weighted reciprocal rank fusion (k = ${reciprocalRankConstant}, weights vector ${defaultFusionWeights.vector}, keyword ${defaultFusionWeights.keyword}).
The weights were chosen on the development split only, from this sweep of dev nDCG@10 (each
side's top 100 documents above, fused here in the benchmark — the platform fuses its two sides
${fusionDepth(100)} chunks deep for a top 100, so its \`hybrid\` row differs a little from the
bold cell, the weights it runs with):

${sweep}

Ingestion: ${collection.documents.length.toLocaleString('en')} documents in ${ingestSeconds.toFixed(1)} s; ${padding.toLocaleString('en')} padding documents in ${paddingSeconds.toFixed(1)} s.

Search latency in milliseconds (one client, sequential; top 100 at 1,400 documents, top 10 at ${targetChunks.toLocaleString('en')} chunks):

| mode | p50 @ 1,400 | p99 @ 1,400 | p50 @ ${targetChunks.toLocaleString('en')} | p95 @ ${targetChunks.toLocaleString('en')} | p99 @ ${targetChunks.toLocaleString('en')} |
| --- | --- | --- | --- | --- | --- |
${modes.map(latencyRow).join('\n')}
`;
    await writeFile(resultsPath, report);
    process.stdout.write(report);
  } finally {
    await platform.stop();
  }
}

await main();
