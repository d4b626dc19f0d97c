const bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * A sparkline of non-negative values: one block character each, scaled to the largest value.
 * Zero is the lowest bar only when every value is zero; otherwise zero is a space, so an idle day
 * reads as a gap rather than as a little use.
 */
export function sparkline(values: readonly number[]): string {
  const maximum = Math.max(0, ...values);
  return values
    .map((value) => {
      if (maximum === 0) return bars[0];
      if (value <= 0) return ' ';
      const index = Math.min(bars.length - 1, Math.ceil((value / maximum) * bars.length) - 1);
      return bars[index];
    })
    .join('');
}

/** Every UTC day from `from` to `to` inclusive, as YYYY-MM-DD. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  const last = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  while (cursor.getTime() <= last && days.length < 3660) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}
