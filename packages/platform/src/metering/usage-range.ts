const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** [from, to) as epoch milliseconds. */
export type Span = readonly [from: number, to: number];

/** Which source answers which part of a usage range; the parts are disjoint and cover it. */
export interface UsageRangeParts {
  /** Whole UTC days: the daily rollups. */
  days: Span[];
  /** Whole hours outside those days: the hourly rollups. */
  hours: Span[];
  /** The partial hours at either end: the records themselves. */
  records: Span[];
}

const ceilTo = (instant: number, unit: number) => Math.ceil(instant / unit) * unit;
const floorTo = (instant: number, unit: number) => Math.floor(instant / unit) * unit;
const nonEmpty = (spans: Span[]) => spans.filter(([from, to]) => from < to);

/**
 * Splits [from, to) into the whole UTC days inside it, the whole hours around those, and the
 * partial hours at its ends, so each part is read from the coarsest source that holds it exactly.
 */
export function splitUsageRange(from: number, to: number): UsageRangeParts {
  const firstHour = ceilTo(from, hourMs);
  const endOfHours = floorTo(to, hourMs);
  if (firstHour >= endOfHours) return { days: [], hours: [], records: nonEmpty([[from, to]]) };
  const records = nonEmpty([
    [from, firstHour],
    [endOfHours, to],
  ]);
  const firstDay = ceilTo(firstHour, dayMs);
  const endOfDays = floorTo(endOfHours, dayMs);
  if (firstDay >= endOfDays) return { days: [], hours: [[firstHour, endOfHours]], records };
  return {
    days: [[firstDay, endOfDays]],
    hours: nonEmpty([
      [firstHour, firstDay],
      [endOfDays, endOfHours],
    ]),
    records,
  };
}
