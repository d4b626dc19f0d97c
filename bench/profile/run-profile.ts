/**
 * Profiles the platform alone, without the whole benchmark: starts the upstream and a platform with
 * `--cpu-prof`, runs one closed-loop load, and prints where the CPU time went. The flame graph goes
 * to bench/results/profile-<id>.svg.
 *
 *   node --import tsx bench/profile/run-profile.ts [json|sse] [seconds] [clients]
 *
 * With BENCH_POSTGRES_URL the platform runs on PostgreSQL (a scratch database, dropped after).
 */
import { benchmarkPlan } from '../benchmark-plan.ts';
import { stopAllProcesses, stopProcess } from '../support/child-processes.ts';
import { installCleanup } from '../support/cleanup.ts';
import { ProgressBar } from '../support/progress-bar.ts';
import { withPlatformOnPostgres } from '../targets/platform-on-postgres.ts';
import { startUpstream } from '../upstream/start-upstream.ts';
import { profilePlatform } from './profile-platform.ts';

const [kind = 'json', seconds = '8', clients = '32'] = process.argv.slice(2);
if (kind !== 'json' && kind !== 'sse') {
  process.stderr.write('usage: run-profile.ts [json|sse] [seconds] [clients]\n');
  process.exit(2);
}
installCleanup();
const plan = { ...benchmarkPlan(), profileSeconds: Number(seconds) };
const concurrency = Number(clients);
const progress = new ProgressBar(plan.profileSeconds + 10);
const upstream = await startUpstream();
try {
  const scenario = {
    id: `${kind}-max${plan.postgresUrl ? '-postgres' : ''}`,
    name: `${kind === 'json' ? 'JSON' : 'SSE'}, max throughput (${concurrency} clients)${plan.postgresUrl ? ', PostgreSQL' : ''}`,
    mode: kind === 'json' ? 'json' : 'stream',
    shape: { kind: 'closed', concurrency },
  } as const;
  const resultsDirectory = new URL('../results/', import.meta.url);
  const finding = plan.postgresUrl
    ? await withPlatformOnPostgres(plan, (options) =>
        profilePlatform(plan, upstream.origin, scenario, resultsDirectory, progress, options),
      )
    : await profilePlatform(plan, upstream.origin, scenario, resultsDirectory, progress);
  progress.finish();
  process.stdout.write(
    `${finding.summary}\n\nProfile: ${finding.profilePath}\nFlame graph: bench/results/${finding.flameGraphFile}\n`,
  );
} finally {
  await stopProcess(upstream.process);
  await stopAllProcesses();
}
