/**
 * Who calls a function in a `.cpuprofile`, and what it calls: the heaviest call paths through every
 * function whose name matches, by time spent in or under it.
 *
 *   node --import tsx bench/profile/callers.ts <file.cpuprofile> <function-name-regex> [paths] [depth]
 */
import { indexProfile, locationOf, readCpuProfile } from './cpu-profile.ts';

const [file, pattern, pathsArgument = '12', depthArgument = '8'] = process.argv.slice(2);
if (!file || !pattern) {
  process.stderr.write('usage: callers.ts <file.cpuprofile> <function-name-regex> [paths] [depth]\n');
  process.exit(2);
}
const matcher = new RegExp(pattern);
const depth = Number(depthArgument);
const { nodes, parents, selfMicroseconds, totalMicroseconds } = indexProfile(await readCpuProfile(file));

function label(id: number): string {
  const node = nodes.get(id);
  if (!node) return '?';
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${locationOf(url, lineNumber)}`;
}

const inclusive = new Map<number, number>();
for (const [id, microseconds] of selfMicroseconds) {
  for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
    inclusive.set(current, (inclusive.get(current) ?? 0) + microseconds);
  }
}

const callerPaths = new Map<string, number>();
const calleeTotals = new Map<string, number>();
let matchedTotal = 0;
for (const [id, node] of nodes) {
  if (!matcher.test(node.callFrame.functionName)) continue;
  // Count a node only where no ancestor matches too, so recursion is not counted twice.
  let ancestorMatches = false;
  for (let parent = parents.get(id); parent !== undefined; parent = parents.get(parent)) {
    if (matcher.test(nodes.get(parent)?.callFrame.functionName ?? '')) ancestorMatches = true;
  }
  if (ancestorMatches) continue;
  const time = inclusive.get(id) ?? 0;
  matchedTotal += time;
  const path: string[] = [];
  for (
    let parent = parents.get(id);
    parent !== undefined && path.length < depth;
    parent = parents.get(parent)
  ) {
    path.push(label(parent));
  }
  const key = path.join('\n    ← ');
  callerPaths.set(key, (callerPaths.get(key) ?? 0) + time);
  for (const child of node.children ?? []) {
    const childLabel = label(child);
    calleeTotals.set(childLabel, (calleeTotals.get(childLabel) ?? 0) + (inclusive.get(child) ?? 0));
  }
}

const percent = (microseconds: number) => ((microseconds / totalMicroseconds) * 100).toFixed(1);
process.stdout.write(`/${pattern}/: ${percent(matchedTotal)}% of the profile in or under it\n\nCallers:\n`);
for (const [path, time] of [...callerPaths]
  .sort((left, right) => right[1] - left[1])
  .slice(0, Number(pathsArgument))) {
  process.stdout.write(`${percent(time).padStart(5)}%  ← ${path}\n`);
}
process.stdout.write('\nCallees:\n');
for (const [callee, time] of [...calleeTotals].sort((left, right) => right[1] - left[1]).slice(0, 20)) {
  process.stdout.write(`${percent(time).padStart(5)}%  ${callee}\n`);
}
