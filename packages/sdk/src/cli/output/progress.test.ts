import { describe, expect, it } from 'vitest';
import { CommandContext, type OutputStream } from '../context.ts';
import { createProgressReporter } from './progress.ts';

function collector(isTTY: boolean): OutputStream & { text: string } {
  return {
    text: '',
    isTTY,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

function contextWith(json: boolean) {
  const stdout = collector(false);
  const stderr = collector(false);
  const context = new CommandContext(
    {
      stdout,
      stderr,
      stdin: process.stdin,
      environment: {},
      createClient: () => {
        throw new Error('no client in this test');
      },
    },
    { json },
  );
  return { context, stdout, stderr };
}

describe('progress without a terminal', () => {
  it('prints one line per milestone of each file, on stdout', () => {
    const { context, stdout, stderr } = contextWith(false);
    const reporter = createProgressReporter(context, process.stderr);
    const file = reporter.file('a.md', 10);
    file.update({ phase: 'upload', loadedBytes: 0, totalBytes: 10 });
    file.update({ phase: 'upload', loadedBytes: 4, totalBytes: 10 });
    file.update({ phase: 'upload', loadedBytes: 10, totalBytes: 10 });
    file.update({ phase: 'ingest', loadedBytes: 0, totalBytes: 10 });
    file.update({ phase: 'ingest', loadedBytes: 10, totalBytes: 10 });
    file.done('ready (2 chunks)');
    reporter.file('b.md', 5).fail('failed: too large');
    reporter.stop();
    expect(stdout.text).toBe(
      [
        'a.md: uploading 10 bytes',
        'a.md: uploaded',
        'a.md: ingesting',
        'a.md: ready (2 chunks)',
        'b.md: failed: too large',
        '',
      ].join('\n'),
    );
    expect(stderr.text).toBe('');
  });

  it('prints nothing in --json mode', () => {
    const { context, stdout } = contextWith(true);
    const file = createProgressReporter(context, process.stderr).file('a.md', 1);
    file.update({ phase: 'upload', loadedBytes: 1, totalBytes: 1 });
    file.done('ready');
    expect(stdout.text).toBe('');
  });
});
