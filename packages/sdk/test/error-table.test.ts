import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ErrorCatalogueEntry, errorCatalogue } from '../../platform/src/errors/index.ts';
import {
  CircuitOpenError,
  type ErrorCategory,
  errorClassFor,
  errorClassTable,
  errorFromResponse,
  type KimiError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../src/index.ts';

/**
 * The SDK's categories a platform error may fall in: the platform says who is at fault (user,
 * provider, system) and the OpenAI type says what kind of fault; a provider's refusal of the
 * caller's request (PROVIDER_*, CONTENT_FILTERED) is the caller's to fix but a provider class.
 */
function allowedCategories(entry: ErrorCatalogueEntry): ErrorCategory[] {
  if (entry.category === 'provider') return ['provider'];
  if (entry.category === 'system') return ['server'];
  if (/^(PROVIDER_|CONTENT_FILTERED$)/.test(entry.code)) return ['provider'];
  switch (entry.type) {
    case 'authentication_error':
    case 'permission_error':
      return ['authentication'];
    case 'rate_limit_error':
    case 'insufficient_quota':
      return ['limits'];
    case 'not_found_error':
      return ['resources', 'validation'];
    case 'timeout_error':
      return ['network'];
    default:
      // 409/422: the resource's state (or an earlier request with the key) is in the way
      return [404, 409, 410, 422].includes(entry.status) ? ['resources'] : ['validation'];
  }
}

/** Codes where a client should retry although the platform's own routing does not. */
const clientRetryable = new Set(['RATE_LIMIT_EXCEEDED', 'CONCURRENCY_LIMIT_EXCEEDED']);

const responseFor = (entry: ErrorCatalogueEntry) =>
  errorFromResponse(
    entry.status,
    new Headers({ 'x-request-id': 'req_1' }),
    JSON.stringify({
      error: { message: entry.summary, type: entry.type, code: entry.code, param: null, hint: 'do this' },
    }),
  );

describe('the error table', () => {
  it('maps every platform code to exactly one class, and knows no code the platform lacks', () => {
    const catalogued = new Set(errorCatalogue.map((entry) => entry.code));
    expect([...catalogued].filter((code) => !errorClassTable.has(code))).toEqual([]);
    expect([...errorClassTable.keys()].filter((code) => !catalogued.has(code))).toEqual([]);
  });

  it.each(errorCatalogue.map((entry) => [entry.code, entry] as const))(
    '%s: class, category and retryable agree with the catalogue',
    (code, entry) => {
      const errorClass = errorClassFor(code);
      expect(errorClass).toBeDefined();
      const error = responseFor(entry);
      expect(error).toBeInstanceOf(errorClass as typeof KimiError);
      expect(error.constructor).toBe(errorClass);
      expect(allowedCategories(entry)).toContain(error.category);
      expect(error.retryable).toBe(entry.retryable || clientRetryable.has(code));
      expect(error).toMatchObject({
        code,
        status: entry.status,
        recoveryHint: 'do this',
        requestId: 'req_1',
      });
    },
  );

  it('falls back by HTTP status for a code it does not know, and keeps the code', () => {
    const body = (code: string) => JSON.stringify({ error: { message: 'new', code } });
    const notFound = errorFromResponse(404, new Headers(), body('SOMETHING_NEW'));
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.code).toBe('SOMETHING_NEW');
    expect(errorFromResponse(429, new Headers(), body('X'))).toBeInstanceOf(RateLimitError);
    expect(errorFromResponse(418, new Headers(), body('X'))).toBeInstanceOf(ValidationError);
    const html = errorFromResponse(500, new Headers(), '<html>proxy error</html>');
    expect(html).toBeInstanceOf(ServerError);
    expect(html.code).toBe('HTTP_500');
  });

  it('reads Retry-After and names an open circuit', () => {
    const limited = errorFromResponse(
      429,
      new Headers({ 'retry-after': '7' }),
      JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down' } }),
    ) as RateLimitError;
    expect(limited.retryAfter).toBe(7);
    expect(limited.retryAfterMs).toBe(7000);
    const open = errorFromResponse(
      502,
      new Headers(),
      JSON.stringify({
        error: { code: 'PROVIDER_UNAVAILABLE', message: 'no deployment (sim: circuit open)' },
      }),
    );
    expect(open).toBeInstanceOf(CircuitOpenError);
  });

  it('serialises to JSON with every documented field', () => {
    const error = responseFor(
      errorCatalogue.find((entry) => entry.code === 'BUDGET_EXCEEDED') as ErrorCatalogueEntry,
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'BudgetExceededError',
      message: 'A spending budget is exhausted.',
      code: 'BUDGET_EXCEEDED',
      category: 'limits',
      severity: 'high',
      retryable: false,
      status: 402,
      type: 'insufficient_quota',
      param: null,
      recoveryHint: 'do this',
      requestId: 'req_1',
      retryAfterMs: null,
    });
  });

  it("the README's table says the same as the error table", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` +\| [^|]+\| `(\w+)` +\| (\w+) +\| (yes|no) +\|$/gm)];
    const documented = new Map(rows.map((row) => [row[1], row[2]]));
    const actual = new Map([...errorClassTable].map(([code, errorClass]) => [code, errorClass.name]));
    expect(documented).toEqual(actual);
    for (const row of rows) {
      const error = responseFor(errorCatalogue.find((entry) => entry.code === row[1]) as ErrorCatalogueEntry);
      expect([row[1], error.category, error.retryable ? 'yes' : 'no']).toEqual([row[1], row[3], row[4]]);
    }
  });
});
