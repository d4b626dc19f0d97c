import { errorCatalogue } from '../../errors/index.ts';

/** What the document says of one error status: the codes that come with it and an example body. */
export interface ErrorStatusFacts {
  codes: readonly string[];
  example: unknown;
}

/** Per status, every catalogued code that can come with it (the usual status first) and an example of one. */
export function errorFactsByStatus(): ReadonlyMap<number, ErrorStatusFacts> {
  const facts = new Map<number, { codes: string[]; example: unknown }>();
  for (const entry of errorCatalogue) {
    for (const status of entry.statuses) {
      let forStatus = facts.get(status);
      if (!forStatus) {
        forStatus = { codes: [], example: undefined };
        facts.set(status, forStatus);
      }
      forStatus.codes.push(entry.code);
      if (forStatus.example === undefined && entry.status === status) {
        forStatus.example = {
          error: {
            message: entry.summary,
            type: entry.type,
            code: entry.code,
            param: null,
            request_id: 'req_4Fh8Qk2Zp9Lm3Tx7Wc1Rb6Nd',
          },
        };
      }
    }
  }
  return facts;
}

/** The catalogue as a Markdown table, for the document's description (Swagger UI renders it). */
export function errorCodeTable(): string {
  const rows = errorCatalogue.map(
    (entry) =>
      `| \`${entry.code}\` | ${entry.statuses.join(', ')} | ${entry.category} | ${entry.retryable ? 'yes' : 'no'} | ${entry.summary.replaceAll('|', '\\|')} |`,
  );
  return [
    '| code | status | category | retryable | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
