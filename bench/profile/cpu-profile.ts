import { readFile } from 'node:fs/promises';

/** One node of a V8 `.cpuprofile` (what `node --cpu-prof` writes): a function at one call path. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A V8 CPU profile: the call tree, and for each sample the node it hit and the time since the last. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A profile with its tree indexed: node by id, parent by id, and microseconds of samples per node. */
export interface IndexedProfile {
  profile: CpuProfile;
  nodes: Map<number, ProfileNode>;
  parents: Map<number, number>;
  /** Self time per node id, in microseconds. */
  selfMicroseconds: Map<number, number>;
  totalMicroseconds: number;
}

/** Reads a `.cpuprofile` file. */
export async function readCpuProfile(path: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
}

/**
 * Indexes a profile, keeping only samples inside `window` when one is given (microseconds on the
 * monotonic clock the profile's own timestamps use). A sample's time is the gap to the next sample
 * (the last one gets the mean gap), which is how long the sampled function was seen running.
 */
export function indexProfile(
  profile: CpuProfile,
  window?: { fromMicroseconds: number; toMicroseconds: number },
): IndexedProfile {
  const nodes = new Map<number, ProfileNode>();
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    nodes.set(node.id, node);
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const selfMicroseconds = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  const meanGap = samples.length > 0 ? (profile.endTime - profile.startTime) / samples.length : 0;
  let totalMicroseconds = 0;
  let timestamp = profile.startTime;
  for (let index = 0; index < samples.length; index++) {
    timestamp += timeDeltas[index] ?? 0;
    if (window && (timestamp < window.fromMicroseconds || timestamp > window.toMicroseconds)) continue;
    const node = samples[index] ?? 0;
    const gap = Math.max(0, timeDeltas[index + 1] ?? meanGap);
    selfMicroseconds.set(node, (selfMicroseconds.get(node) ?? 0) + gap);
    totalMicroseconds += gap;
  }
  return { profile, nodes, parents, selfMicroseconds, totalMicroseconds };
}

/**
 * Where code lives, in words a reader can act on: a package (`fastify`, `pino`), Node's own
 * modules (`node:internal/deps/undici` is the fetch built into Node), a folder of the platform
 * (`platform/gateway`), or V8's pseudo-frames (`(garbage collector)`, `(program)`, `(idle)`).
 */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (packageMatch?.[1]) return packageMatch[1];
  const platformMatch = /packages\/platform\/(?:src|dist)\/([^/]+)\//.exec(url);
  if (platformMatch?.[1]) return `platform/${platformMatch[1]}`;
  if (url.startsWith('node:internal/deps/')) return url.split('/').slice(0, 3).join('/');
  if (url.startsWith('node:')) {
    const parts = url.split('/');
    return parts.length > 2 ? parts.slice(0, 2).join('/') : url;
  }
  return url.replace(/^file:\/\//, '').replace(/^.*\/(bench|packages)\//, '$1/');
}

/**
 * A readable location: `file.ts:line` (1-based), or the pseudo-frame's name. Files tsx compiled
 * report every function on line 1, so their line is left out.
 */
export function locationOf(url: string, lineNumber: number): string {
  if (url === '') return '';
  const file = url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*\/packages\//, '');
  return lineNumber > 0 ? `${file}:${lineNumber + 1}` : file;
}
