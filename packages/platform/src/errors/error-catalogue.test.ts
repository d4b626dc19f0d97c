import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, swarmRunErrorCodes } from './error-catalogue.ts';
import { errors, PlatformError, providerErrors } from './index.ts';

const sourceRoot = fileURLToPath(new URL('..', import.meta.url));
const codePattern = '[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*';
/** `code: 'X'` anywhere, and `helper('X_Y', …)` — the codes factories pass on to a shared constructor. */
const literalCode = new RegExp(`\\bcode:\\s*'(${codePattern})'`, 'g');
const passedCode = /\b\w+\(\s*'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'\s*,/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    const isSource = entry.name.endsWith('.ts') && !/\.(test|contract)\.ts$/.test(entry.name);
    return isSource ? [path] : [];
  });
}

/** Every code literal in packages/platform/src (tests and contract suites excluded), with where it is. */
function scannedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(sourceRoot)) {
    const text = readFileSync(file, 'utf8');
    const patterns = text.includes('PlatformError') ? [literalCode, passedCode] : [literalCode];
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) found.set(match[1] as string, relative(sourceRoot, file));
    }
  }
  return found;
}

const catalogued = new Map(errorCatalogue.map((entry) => [entry.code, entry]));
const runCodes = new Set(Object.keys(swarmRunErrorCodes));

describe('errorCatalogue', () => {
  it('lists each code once, with consistent facts', () => {
    expect(catalogued.size).toBe(errorCatalogue.length);
    for (const entry of errorCatalogue) {
      expect(entry.code).toMatch(new RegExp(`^${codePattern}$`));
      expect(entry.statuses[0]).toBe(entry.status);
      expect(entry.types[0]).toBe(entry.type);
      for (const status of entry.statuses) expect(status >= 400 && status < 600).toBe(true);
      expect(entry.summary.length).toBeGreaterThan(10);
      expect(runCodes.has(entry.code)).toBe(false);
    }
  });

  it('lists every code the source can raise, and none it cannot', () => {
    const scanned = scannedCodes();
    const missing = [...scanned].filter(([code]) => !catalogued.has(code) && !runCodes.has(code));
    expect(missing.map(([code, file]) => `${code} (${file})`)).toEqual([]);
    const unknown = [...catalogued.keys(), ...runCodes].filter((code) => !scanned.has(code));
    expect(unknown).toEqual([]);
    // the scan itself finds codes of every shape (a literal, a helper's argument, a wording table)
    for (const code of ['INVALID_JSON', 'INVITATION_INVALID', 'SESSION_REVOKED', 'BEARER_TOKEN_EXPIRED']) {
      expect(scanned.has(code)).toBe(true);
    }
  });

  /** Arguments for the factories whose parameters are not plain strings. */
  const sampleArguments: Record<string, unknown[]> = {
    apiKeyExpired: [new Date(0)],
    methodNotAllowed: ['DELETE', '/v1/models', ['GET']],
    internal: [new Error('boom')],
    payloadTooLarge: [1024],
    fileTooLarge: [1024],
    pathSegmentTooLong: [256],
    contextLengthExceeded: ['sim/fast', 9000, 8192],
    timeout: ['sim', 1000],
    rateLimited: ['sim', 'slow down', 1000],
  };
  const factories = [
    ...Object.entries(errors).map(([name, factory]) => [`errors.${name}`, name, factory] as const),
    ...Object.entries(providerErrors).map(
      ([name, factory]) => [`providerErrors.${name}`, name, factory] as const,
    ),
  ];
  it.each(factories)('%s produces what the catalogue says', (_label, name, factory) => {
    const parameters = sampleArguments[name] ?? Array.from({ length: factory.length }, () => 'sample');
    const error = (factory as (...values: unknown[]) => unknown)(...parameters);
    expect(error).toBeInstanceOf(PlatformError);
    const platformError = error as PlatformError;
    const entry = catalogued.get(platformError.code);
    expect(entry, platformError.code).toBeDefined();
    expect(entry?.statuses).toContain(platformError.status);
    expect(entry?.category).toBe(platformError.category);
    expect(entry?.types).toContain(platformError.type);
    expect(entry?.retryable).toBe(platformError.retryable);
  });
});
