/**
 * One progress line on stderr: a bar of the planned work done, the step running, and the time
 * left by the plan. Redrawn in place on a terminal; on a pipe, one line per step instead.
 */
export class ProgressBar {
  #totalSeconds: number;
  readonly #started = performance.now();
  readonly #interactive = process.stderr.isTTY === true;
  #doneSeconds = 0;
  #label = '';
  #lastLine = '';

  constructor(totalSeconds: number) {
    this.#totalSeconds = Math.max(1, totalSeconds);
  }

  /** Names the step that runs now. */
  begin(label: string): void {
    this.#label = label;
    if (!this.#interactive) {
      process.stderr.write(`[bench ${formatSeconds((performance.now() - this.#started) / 1000)}] ${label}\n`);
    }
    this.draw();
  }

  /** Adds work that was not planned at the start (profiling, when a goal is missed). */
  extend(seconds: number): void {
    this.#totalSeconds += seconds;
    this.draw();
  }

  /** Counts `seconds` of planned work as done. */
  advance(seconds: number): void {
    this.#doneSeconds = Math.min(this.#totalSeconds, this.#doneSeconds + seconds);
    this.draw();
  }

  /** Redraws the line (also called while a step runs, to show it is alive). */
  draw(detail = ''): void {
    if (!this.#interactive) return;
    const fraction = this.#doneSeconds / this.#totalSeconds;
    const width = 30;
    const filled = Math.round(fraction * width);
    const elapsed = (performance.now() - this.#started) / 1000;
    const left = Math.max(0, this.#totalSeconds - this.#doneSeconds);
    const columns = process.stderr.columns ?? 120;
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
      `${formatSeconds(elapsed)} elapsed, ~${formatSeconds(left)} left | ${this.#label}${detail ? ` ${detail}` : ''}`;
    const clipped = line.slice(0, columns - 1);
    if (clipped === this.#lastLine) return;
    this.#lastLine = clipped;
    process.stderr.write(`\r\x1b[K${clipped}`);
  }

  /** Clears the line, so the table prints on a clean screen. */
  finish(): void {
    if (this.#interactive) process.stderr.write('\r\x1b[K');
  }
}

function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return minutes > 0 ? `${minutes}m${String(rest).padStart(2, '0')}s` : `${rest}s`;
}
