import cliProgress from 'cli-progress';
import type { CommandContext } from '../context.ts';
import type { UploadProgress } from '../kimi-client.ts';

/** One file's progress: upload (the first half of its bar), then ingestion (the second half). */
export interface FileProgress {
  update(progress: UploadProgress): void;
  done(summary: string): void;
  fail(summary: string): void;
}

export interface ProgressReporter {
  file(name: string, totalBytes: number): FileProgress;
  stop(): void;
}

function percentOf(progress: UploadProgress): number {
  const share = progress.totalBytes > 0 ? Math.min(1, progress.loadedBytes / progress.totalBytes) : 1;
  return Math.round((progress.phase === 'upload' ? 0 : 50) + share * 50);
}

/** Bars on a terminal (stderr): one per file, redrawn by cli-progress. */
function terminalReporter(stream: NodeJS.WritableStream): ProgressReporter {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: ' {bar} {percentage}% | {file} | {phase}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    file(name) {
      const bar = bars.create(100, 0, { file: name, phase: 'waiting' });
      return {
        update(progress) {
          bar.update(percentOf(progress), { phase: progress.phase === 'upload' ? 'uploading' : 'ingesting' });
        },
        done(summary) {
          bar.update(100, { phase: summary });
        },
        fail(summary) {
          bar.update({ phase: summary });
        },
      };
    },
    stop() {
      bars.stop();
    },
  };
}

/** Without a terminal: one line per milestone (upload started and done, ingestion started, ready). */
function lineReporter(context: CommandContext): ProgressReporter {
  return {
    file(name, totalBytes) {
      let phase: UploadProgress['phase'] | null = null;
      let uploaded = false;
      return {
        update(progress) {
          if (progress.phase === 'upload' && phase === null)
            context.print(`${name}: uploading ${totalBytes} bytes`);
          if (progress.phase === 'upload' && progress.loadedBytes >= progress.totalBytes && !uploaded) {
            uploaded = true;
            context.print(`${name}: uploaded`);
          }
          if (progress.phase === 'ingest' && phase !== 'ingest') {
            if (!uploaded) context.print(`${name}: uploaded`);
            uploaded = true;
            context.print(`${name}: ingesting`);
          }
          phase = progress.phase;
        },
        done(summary) {
          context.print(`${name}: ${summary}`);
        },
        fail(summary) {
          context.print(`${name}: ${summary}`);
        },
      };
    },
    stop() {},
  };
}

/** Bars when stderr is a terminal (and not `--json`), milestone lines otherwise (none with `--json`). */
export function createProgressReporter(
  context: CommandContext,
  stream: NodeJS.WritableStream,
): ProgressReporter {
  return context.stderrIsTerminal && !context.json ? terminalReporter(stream) : lineReporter(context);
}
