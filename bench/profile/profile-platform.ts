import { rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchmarkPlan } from '../benchmark-plan.ts';
import type { LoadShape } from '../load/load-types.ts';
import { runLoad } from '../load/run-load.ts';
import type { ProfileFinding, RequestMode } from '../report/benchmark-results.ts';
import { onCleanup } from '../support/cleanup.ts';
import type { ProgressBar } from '../support/progress-bar.ts';
import { type PlatformOptions, startPlatform } from '../targets/platform.ts';
import { indexProfile, readCpuProfile } from './cpu-profile.ts';
import { flameGraphSvg } from './flame-graph.ts';
import { profileSummaryMarkdown, summariseProfile } from './summarise-profile.ts';

/** A load to profile the platform under. */
export interface ProfileScenario {
  name: string;
  /** A file-name-safe id, e.g. `json-max`. */
  id: string;
  mode: RequestMode;
  shape: LoadShape;
}

/** The main thread's profile: the largest file (tsx's loader thread writes a small one too). */
async function largestProfile(directory: string): Promise<string> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.cpuprofile'));
  let largest = '';
  let largestSize = -1;
  for (const file of files) {
    const { size } = await stat(join(directory, file));
    if (size > largestSize) {
      largest = file;
      largestSize = size;
    }
  }
  if (!largest) throw new Error(`no .cpuprofile was written in ${directory}`);
  return join(directory, largest);
}

/** Seconds one profile run takes, for the progress bar. */
export function profileSeconds(plan: BenchmarkPlan): number {
  return plan.profileSeconds + 1 + 8;
}

/**
 * Runs a fresh platform with `--cpu-prof` under one load, stops it (the profile is written at
 * exit), and summarises where its CPU time went during the measured window. The flame graph goes to bench/results; the
 * `.cpuprofile` stays in the system's temporary directory, for Chrome DevTools or speedscope.
 */
export async function profilePlatform(
  plan: BenchmarkPlan,
  upstreamOrigin: string,
  scenario: ProfileScenario,
  resultsDirectory: URL,
  progress: ProgressBar,
  platformOptions: Pick<PlatformOptions, 'databaseUrl' | 'redisUrl'> = {},
): Promise<ProfileFinding> {
  progress.begin(`profiling the platform: ${scenario.name}`);
  const directory = await mkdtemp(join(tmpdir(), 'kimi-bench-profile-'));
  const forgetDirectory = onCleanup({ now: () => rmSync(directory, { recursive: true, force: true }) });
  try {
    const platform = await startPlatform(upstreamOrigin, {
      ...platformOptions,
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory}`],
      name: 'Kimi Platform (--cpu-prof)',
    });
    let window: { fromMicroseconds: number; toMicroseconds: number };
    let measuredRequests: number;
    try {
      ({ window, succeeded: measuredRequests } = await runLoad(
        {
          endpoint: platform.endpoint,
          stream: scenario.mode === 'stream',
          shape: scenario.shape,
          warmUpSeconds: 1,
          durationSeconds: plan.profileSeconds,
          drainSeconds: plan.drainSeconds,
          requestTimeoutMs: plan.requestTimeoutMs,
        },
        ({ fraction }) => progress.draw(`${(fraction * 100).toFixed(0)}%`),
      ));
    } finally {
      await platform.stop();
    }
    const source = await largestProfile(directory);
    const keptDirectory = join(tmpdir(), 'kimi-bench-profiles');
    await mkdir(keptDirectory, { recursive: true });
    const profilePath = join(keptDirectory, `platform-${scenario.id}.cpuprofile`);
    await copyFile(source, profilePath);
    // Only the measured window: not start-up, migrations and warm-up.
    const indexed = indexProfile(await readCpuProfile(profilePath), window);
    const summary = summariseProfile(indexed, 25);
    const perRequest = measuredRequests > 0 ? summary.busyMilliseconds / measuredRequests : Number.NaN;
    const flameGraphFile = `profile-${scenario.id}.svg`;
    await writeFile(
      new URL(flameGraphFile, resultsDirectory),
      flameGraphSvg(indexed, `Kimi Platform CPU profile — ${scenario.name} (width = inclusive busy time)`),
    );
    progress.advance(profileSeconds(plan));
    return {
      scenario: scenario.name,
      summary:
        `${measuredRequests} requests answered in the window: ${perRequest.toFixed(3)} ms of the main ` +
        `thread's busy time per request (the profiler itself adds some).\n\n${profileSummaryMarkdown(summary, 15)}`,
      flameGraphFile,
      profilePath,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
    forgetDirectory();
  }
}
