import { createRequire } from 'node:module';
import type { CranfieldDocument } from './cranfield.ts';

/**
 * The reference the knowledge-base search is compared with: `wink-bm25-text-search` (BM25 with
 * k1 = 1.2, b = 0.75, title and text as one field) in this process, over the same documents, with
 * the usual preparation from `wink-nlp-utils`: lower case, tokens, stop words removed, Porter stems.
 */
interface Bm25Engine {
  defineConfig(config: {
    fldWeights: Record<string, number>;
    bm25Params: { k1: number; b: number; k: number };
  }): void;
  definePrepTasks(tasks: Array<(input: unknown) => unknown>): void;
  addDoc(document: Record<string, string>, id: string): void;
  consolidate(): void;
  search(text: string, limit?: number): Array<[string, number]>;
}

interface NlpUtilities {
  string: { lowerCase(text: string): string; tokenize0(text: string): string[] };
  tokens: { removeWords(tokens: string[]): string[]; stem(tokens: string[]): string[] };
}

const require = createRequire(import.meta.url);

export interface ReferenceSearch {
  search(query: string, limit: number): string[];
}

export function buildReferenceBm25(documents: readonly CranfieldDocument[]): ReferenceSearch {
  const createEngine = require('wink-bm25-text-search') as () => Bm25Engine;
  const nlp = require('wink-nlp-utils') as NlpUtilities;
  const engine = createEngine();
  engine.defineConfig({ fldWeights: { body: 1 }, bm25Params: { k1: 1.2, b: 0.75, k: 1 } });
  engine.definePrepTasks([
    (input) => nlp.string.lowerCase(input as string),
    (input) => nlp.string.tokenize0(input as string),
    (input) => nlp.tokens.removeWords(input as string[]),
    (input) => nlp.tokens.stem(input as string[]),
  ]);
  for (const document of documents)
    engine.addDoc({ body: `${document.title}\n${document.text}` }, document.id);
  engine.consolidate();
  return { search: (query, limit) => engine.search(query, limit).map(([id]) => id) };
}
