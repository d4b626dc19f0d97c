import { readFileSync } from 'node:fs';

/**
 * The Cranfield collection as `../shared/datasets/cranfield/README.md` describes it: documents
 * (`.I`, `.T` title, `.A`, `.B`, `.W` abstract), queries numbered by their order in `cran.qry` (not
 * by their `.I`), and graded judgements (1 best … 4 minimal; -1 none).
 */
export interface CranfieldDocument {
  id: string;
  title: string;
  text: string;
}

export interface CranfieldQuery {
  /** The sequence number the judgements use (1..225). */
  number: number;
  text: string;
}

export interface Cranfield {
  documents: CranfieldDocument[];
  queries: CranfieldQuery[];
  /** Query number → document id → gain (5 − relevance; 0 for -1). */
  judgements: Map<number, Map<string, number>>;
}

/** Records of a `.I`-delimited file: each a map of field letter → text. */
function records(text: string): Array<{ id: string; fields: Map<string, string> }> {
  const found: Array<{ id: string; fields: Map<string, string> }> = [];
  let current: { id: string; fields: Map<string, string> } | undefined;
  let field: string | undefined;
  for (const line of text.split('\n')) {
    const start = /^\.I\s+(\d+)/.exec(line);
    if (start) {
      current = { id: start[1] as string, fields: new Map() };
      found.push(current);
      field = undefined;
      continue;
    }
    const marker = /^\.([TABW])\s*$/.exec(line);
    if (marker) {
      field = marker[1];
      continue;
    }
    if (current && field) current.fields.set(field, `${current.fields.get(field) ?? ''}${line}\n`);
  }
  return found;
}

const clean = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

export function loadCranfield(directory: URL): Cranfield {
  const read = (name: string) => readFileSync(new URL(name, directory), 'utf8');
  const documents = records(read('cran.all.1400')).map((record) => ({
    id: record.id,
    title: clean(record.fields.get('T')),
    text: clean(record.fields.get('W')),
  }));
  const queries = records(read('cran.qry')).map((record, index) => ({
    number: index + 1,
    text: clean(record.fields.get('W')),
  }));
  const judgements = new Map<number, Map<string, number>>();
  for (const line of read('cranqrel').split('\n')) {
    const [query, document, relevance] = line.trim().split(/\s+/);
    if (!query || !document || relevance === undefined) continue;
    const grade = Number(relevance);
    const gain = grade >= 1 && grade <= 4 ? 5 - grade : 0;
    const byDocument = judgements.get(Number(query)) ?? new Map<string, number>();
    byDocument.set(document, gain);
    judgements.set(Number(query), byDocument);
  }
  return { documents, queries, judgements };
}

/** Odd query numbers are the development split (tune on these), even ones the evaluation split. */
export function splitOf(query: CranfieldQuery): 'development' | 'evaluation' {
  return query.number % 2 === 1 ? 'development' : 'evaluation';
}
