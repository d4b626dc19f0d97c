/**
 * A quick before/after check while working on the hot path: the bare proxy and the platform (and,
 * with BENCH_POSTGRES_URL, the platform on PostgreSQL) under the same closed-loop load, taken in
 * turns over several rounds, reporting throughput, the target's CPU milliseconds per request (much
 * steadier than throughput on a shared machine) and its resident memory.
 *
 *   node --import tsx bench/profile/compare-cost.ts [rounds] [seconds] [clients]
 *
 * With BENCH_RESPONSES=1 the embedded platform is also measured through the Responses API
 * (`POST /v1/responses`, the same question, stored as by default) beside Chat Completions.
 */
import { benchmarkPlan } from '../benchmark-plan.ts';
import { stopAllProcesses, stopProcess } from '../support/child-processes.ts';
import { installCleanup } from '../support/cleanup.ts';
import { readResidentMemory } from '../support/process-memory.ts';
import { startBareProxy } from '../targets/bare-proxy.ts';
import { startPlatform } from '../targets/platform.ts';
import { withPlatformOnPostgres } from '../targets/platform-on-postgres.ts';
import type { RunningTarget } from '../targets/target.ts';
import { verifyTarget } from '../targets/verify-target.ts';
import { startUpstream } from '../upstream/start-upstream.ts';
import { type CostSample, measureRounds, median } from './closed-loop-cost.ts';

const [roundsArgument = '3', secondsArgument = '4', clientsArgument = '32'] = process.argv.slice(2);
const rounds = Number(roundsArgument);
const seconds = Number(secondsArgument);
const concurrency = Number(clientsArgument);

installCleanup();
const plan = benchmarkPlan();
const upstream = await startUpstream();
const samples: CostSample[] = [];
try {
  const run = async (targets: RunningTarget[]) => {
    for (const target of targets) {
      await verifyTarget(target.name, target.endpoint);
      const idle = readResidentMemory(target.process.pid);
      process.stdout.write(
        `${target.name}: idle RSS ${((idle?.residentBytes ?? 0) / 2 ** 20).toFixed(0)} MB\n`,
      );
    }
    samples.push(
      ...(await measureRounds(
        targets,
        { rounds, seconds, concurrency },
        (sample) =>
          `${sample.target.padEnd(32)} ${sample.rate.toFixed(0).padStart(6)} req/s ` +
          `${sample.cpuPerRequest.toFixed(3)} CPU ms/request, peak RSS ${sample.peakMegabytes.toFixed(0)} MB` +
          `${sample.failed > 0 ? `, ${sample.failed} failed` : ''}`,
      )),
    );
  };
  const platform = await startPlatform(upstream.origin);
  const targets = [await startBareProxy(upstream.origin), platform];
  if (process.env.BENCH_RESPONSES === '1') {
    targets.push({
      ...platform,
      name: 'Kimi Platform (Responses API)',
      endpoint: {
        ...platform.endpoint,
        url: platform.endpoint.url.replace('/v1/chat/completions', '/v1/responses'),
        api: 'responses',
      },
      // why: the same process as `platform`, which stops it.
      stop: async () => {},
    });
  }
  try {
    if (plan.postgresUrl) {
      await withPlatformOnPostgres(plan, async (options) => {
        const onPostgres = await startPlatform(upstream.origin, options);
        try {
          await run([...targets, onPostgres]);
        } finally {
          await onPostgres.stop();
        }
      });
    } else await run(targets);
  } finally {
    for (const target of targets) await target.stop();
  }
  process.stdout.write('\nmedians:\n');
  for (const name of new Set(samples.map((sample) => sample.target))) {
    for (const mode of ['json', 'stream'] as const) {
      const mine = samples.filter((sample) => sample.target === name && sample.mode === mode);
      process.stdout.write(
        `${mode.padEnd(6)} ${name.padEnd(32)} ${median(mine.map((sample) => sample.rate))
          .toFixed(0)
          .padStart(
            6,
          )} req/s ${median(mine.map((sample) => sample.cpuPerRequest)).toFixed(3)} CPU ms/request\n`,
      );
    }
  }
} finally {
  await stopProcess(upstream.process);
  await stopAllProcesses();
}
