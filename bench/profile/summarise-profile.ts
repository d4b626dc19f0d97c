import { areaOf, type IndexedProfile, locationOf } from './cpu-profile.ts';

/** A function or an area with the share of busy time it took. */
export interface TimeShare {
  name: string;
  where: string;
  milliseconds: number;
  /** Of busy time: everything but `(idle)`. */
  percent: number;
}

/** The profile in a few tables: busy time, and self and inclusive time by function and by area. */
export interface ProfileSummary {
  busyMilliseconds: number;
  idleMilliseconds: number;
  topFunctions: TimeShare[];
  selfByArea: TimeShare[];
  inclusiveByArea: TimeShare[];
  /** Functions of the platform itself by inclusive time: which step of the request path costs what. */
  platformFunctions: TimeShare[];
}

function toShares(
  totals: Map<string, { name: string; where: string; microseconds: number }>,
  busyMicroseconds: number,
  limit: number,
): TimeShare[] {
  return [...totals.values()]
    .sort((left, right) => right.microseconds - left.microseconds)
    .slice(0, limit)
    .map((entry) => ({
      name: entry.name,
      where: entry.where,
      milliseconds: entry.microseconds / 1000,
      percent: busyMicroseconds > 0 ? (entry.microseconds / busyMicroseconds) * 100 : 0,
    }));
}

/**
 * Sums self time by function (name and location) and by area, and inclusive time by area: a
 * sample counts once for every area on its stack, so `platform/metering` 12% means 12% of busy time
 * was spent in or under metering code.
 */
export function summariseProfile(indexed: IndexedProfile, limit = 20): ProfileSummary {
  const { nodes, parents, selfMicroseconds } = indexed;
  let idleMicroseconds = 0;
  const byFunction = new Map<string, { name: string; where: string; microseconds: number }>();
  const byArea = new Map<string, { name: string; where: string; microseconds: number }>();
  const inclusive = new Map<string, { name: string; where: string; microseconds: number }>();
  const platformInclusive = new Map<string, { name: string; where: string; microseconds: number }>();
  for (const [id, microseconds] of selfMicroseconds) {
    const node = nodes.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMicroseconds += microseconds;
      continue;
    }
    const name = functionName || '(anonymous)';
    const where = locationOf(url, lineNumber);
    const functionKey = `${name}@${where}`;
    const area = areaOf(url, functionName);
    const functionEntry = byFunction.get(functionKey) ?? {
      name,
      where: `${area} ${where}`.trim(),
      microseconds: 0,
    };
    functionEntry.microseconds += microseconds;
    byFunction.set(functionKey, functionEntry);
    const areaEntry = byArea.get(area) ?? { name: area, where: '', microseconds: 0 };
    areaEntry.microseconds += microseconds;
    byArea.set(area, areaEntry);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
      const frame = nodes.get(current)?.callFrame;
      if (!frame || frame.functionName === '(root)') continue;
      const frameArea = areaOf(frame.url, frame.functionName);
      if (frameArea.startsWith('platform/')) {
        const frameName = frame.functionName || '(anonymous)';
        const frameWhere = locationOf(frame.url, frame.lineNumber);
        const key = `${frameName}@${frameWhere}`;
        if (!seen.has(key)) {
          seen.add(key);
          const entry = platformInclusive.get(key) ?? { name: frameName, where: frameWhere, microseconds: 0 };
          entry.microseconds += microseconds;
          platformInclusive.set(key, entry);
        }
      }
      if (seen.has(frameArea)) continue;
      seen.add(frameArea);
      const entry = inclusive.get(frameArea) ?? { name: frameArea, where: '', microseconds: 0 };
      entry.microseconds += microseconds;
      inclusive.set(frameArea, entry);
    }
  }
  const busyMicroseconds = indexed.totalMicroseconds - idleMicroseconds;
  return {
    busyMilliseconds: busyMicroseconds / 1000,
    idleMilliseconds: idleMicroseconds / 1000,
    topFunctions: toShares(byFunction, busyMicroseconds, limit),
    selfByArea: toShares(byArea, busyMicroseconds, limit),
    inclusiveByArea: toShares(inclusive, busyMicroseconds, limit),
    platformFunctions: toShares(platformInclusive, busyMicroseconds, limit),
  };
}

function table(title: string, shares: TimeShare[], withLocation: boolean): string {
  const header = withLocation
    ? `| ${title} % | ${title} ms | function | where |\n| ---: | ---: | --- | --- |`
    : `| ${title} % | ms | area |\n| ---: | ---: | --- |`;
  const rows = shares.map((share) =>
    withLocation
      ? `| ${share.percent.toFixed(1)} | ${share.milliseconds.toFixed(0)} | \`${share.name}\` | ${share.where} |`
      : `| ${share.percent.toFixed(1)} | ${share.milliseconds.toFixed(0)} | ${share.name} |`,
  );
  return [header, ...rows].join('\n');
}

/** The summary as Markdown tables (percentages are of busy time). */
export function profileSummaryMarkdown(summary: ProfileSummary, limit = 15): string {
  const busyShare = summary.busyMilliseconds + summary.idleMilliseconds;
  return [
    `Busy ${summary.busyMilliseconds.toFixed(0)} ms of ${busyShare.toFixed(0)} ms profiled ` +
      `(${((summary.busyMilliseconds / Math.max(1, busyShare)) * 100).toFixed(0)}%); shares below are of busy time.`,
    '',
    'Top functions by self time:',
    '',
    table('self', summary.topFunctions.slice(0, limit), true),
    '',
    'Self time by area:',
    '',
    table('self', summary.selfByArea.slice(0, limit), false),
    '',
    'Inclusive time by area (in or under its code):',
    '',
    table('inclusive', summary.inclusiveByArea.slice(0, limit), false),
    '',
    'Platform functions by inclusive time (in or under them):',
    '',
    table('inclusive', summary.platformFunctions.slice(0, limit), true),
  ].join('\n');
}
