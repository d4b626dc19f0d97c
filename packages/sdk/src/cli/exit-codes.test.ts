import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError, errorJson, formatErrorText, renderError } from './cli-error.ts';
import { exitCodeForCategory, exitCodes } from './exit-codes.ts';

describe('exit codes', () => {
  it('maps every error category to its own code', () => {
    const categories = [
      'authentication',
      'validation',
      'resources',
      'limits',
      'provider',
      'network',
      'server',
    ];
    expect(categories.map(exitCodeForCategory)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(exitCodeForCategory('something-new')).toBe(1);
    expect(exitCodeForCategory(undefined)).toBe(1);
  });

  it('are the table CLI.md documents', () => {
    const documentation = readFileSync(new URL('../../CLI.md', import.meta.url), 'utf8');
    for (const [name, code] of Object.entries(exitCodes)) {
      const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
      expect(documentation, name).toMatch(new RegExp(`\\|\\s*${code}\\s*\\|\\s*${words}\\s*\\|`));
    }
  });
});

describe('renderError', () => {
  it('renders a coded SDK-style error with its hint and category exit code', () => {
    const error = Object.assign(new Error('The API key is not valid.'), {
      code: 'API_KEY_INVALID',
      category: 'authentication',
      recoveryHint: 'Check the key.',
      status: 401,
      retryable: false,
      requestId: 'req_1',
    });
    const rendered = renderError(error);
    expect(rendered.exitCode).toBe(3);
    expect(formatErrorText(rendered)).toBe(
      'error API_KEY_INVALID: The API key is not valid.\nhint: Check the key.\n',
    );
    expect(errorJson(error)).toEqual({
      error: {
        code: 'API_KEY_INVALID',
        message: 'The API key is not valid.',
        hint: 'Check the key.',
        category: 'authentication',
        exit_code: 3,
        status: 401,
        retryable: false,
        request_id: 'req_1',
      },
    });
  });

  it('makes flag mistakes usage errors (exit 2), help exit 0 silently', () => {
    const unknown = renderError(
      new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"),
    );
    expect(unknown).toMatchObject({ exitCode: 2, code: 'USAGE_ERROR', message: "unknown option '--x'" });
    expect(renderError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toMatchObject({
      exitCode: 0,
      silent: true,
    });
  });

  it('keeps the CLI’s own errors’ codes and anything else as unknown (exit 1)', () => {
    expect(renderError(new CliError('FILE_NOT_FOUND', 'no', 2, 'Check the path.')).exitCode).toBe(2);
    expect(errorJson(new CliError('FILE_NOT_FOUND', 'no', 2, 'Check the path.')).error).toMatchObject({
      category: 'usage',
      exit_code: 2,
      status: null,
    });
    expect(errorJson(new CliError('AUDIT', 'broken', 10)).error.category).toBe('check_failed');
    expect(renderError(new TypeError('boom'))).toMatchObject({ exitCode: 1, code: 'UNKNOWN_ERROR' });
  });
});
