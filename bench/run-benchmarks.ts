/**
 * `npm run bench`: the Kimi Platform side by side with a bare Node proxy (the floor) and Portkey's
 * open-source gateway, all in front of one local OpenAI-compatible upstream, with the upstream
 * itself as the reference. Open-loop load at fixed rates and a closed-loop max-throughput run,
 * JSON and streaming; then 1,000 streams held open on the platform; then, where a goal is missed,
 * a CPU profile of the platform. Prints the table and writes bench/results/latest.md and
 * bench/results/latency.svg. Loopback only; every process it starts is stopped, also on Ctrl-C.
 *
 *   npm run bench                       # about 7 minutes on 2 cores
 *   BENCH_QUICK=1 npm run bench         # about 2 minutes, rough figures
 *   BENCH_PROFILE=1 npm run bench       # profile the platform even when every goal is met (0: never)
 *   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test npm run bench   # also on PostgreSQL
 *   … BENCH_REDIS_URL=redis://127.0.0.1:6379/15 …   # that one with Redis (an index the run empties)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { type BenchmarkPlan, benchmarkPlan, stepSeconds } from './benchmark-plan.ts';
import { connectionsForRate } from './load/pool-size.ts';
import { heldStreamsSeconds, measureHeldStreams } from './measure-held-streams.ts';
import { measureTarget, stepsPerTarget } from './measure-target.ts';
import { type ProfileScenario, profilePlatform, profileSeconds } from './profile/profile-platform.ts';
import type {
  BenchmarkResults,
  HeldStreamsRecord,
  ProfileFinding,
  StepRecord,
} from './report/benchmark-results.ts';
import { evaluateGoals } from './report/goals.ts';
import { latencyChartSvg } from './report/latency-chart.ts';
import { goalsText, resultsMarkdown } from './report/results-markdown.ts';
import { textTable } from './report/results-table.ts';
import { stopAllProcesses, stopProcess } from './support/child-processes.ts';
import { installCleanup } from './support/cleanup.ts';
import { machineFacts } from './support/machine-facts.ts';
import { ProgressBar } from './support/progress-bar.ts';
import { startBareProxy } from './targets/bare-proxy.ts';
import { startPlatform } from './targets/platform.ts';
import { withPlatformOnPostgres } from './targets/platform-on-postgres.ts';
import { portkeyVersion, startPortkey } from './targets/portkey.ts';
import { type RunningTarget, upstreamModel } from './targets/target.ts';
import { verifyTarget } from './targets/verify-target.ts';
import { type RunningUpstream, startUpstream } from './upstream/start-upstream.ts';

const resultsDirectory = new URL('./results/', import.meta.url);
/** Seconds the progress bar allows for starting and checking one target. */
const startSeconds = 5;

function directTarget(upstream: RunningUpstream): RunningTarget {
  return {
    key: 'direct',
    name: 'direct upstream (reference)',
    endpoint: { url: `${upstream.origin}/v1/chat/completions`, headers: {}, model: upstreamModel },
    process: upstream.process,
    stop: async () => {},
  };
}

function setupNotes(plan: BenchmarkPlan, steps: StepRecord[]): string[] {
  const openSteps = steps.filter((step) => step.offeredRate !== null);
  const worstLag = Math.max(...openSteps.map((step) => step.result.dispatchLag.p99), 0);
  const medianLag = Math.max(...openSteps.map((step) => step.result.dispatchLag.p50), 0);
  return [
    'Upstream: a Node process on 127.0.0.1 answering `POST /v1/chat/completions` with one fixed answer of ' +
      'about 250 tokens (1.1 KB of text): a 1.6 KB JSON body, or an SSE stream of 104 frames (role, 100 content ' +
      'pieces, finish, usage) and `[DONE]`, about 25 KB, written at once; no added latency. Every target uses this ' +
      'one upstream.',
    'Targets, each in its own process: the **direct upstream** (the reference); a **bare Node proxy** (node:http ' +
      'server, reads the body, forwards it with undici `request` on a keep-alive agent and pipes the answer back: ' +
      'the floor for any Node gateway); the **Kimi Platform** (compiled as `npm start` does and run as `node ' +
      '--enable-source-maps packages/platform/dist/main.js serve`, the upstream configured under `providers.openai_compatible` with a price, a member API key, PGlite in ' +
      'a temporary data directory' +
      (plan.postgresUrl
        ? `; and once more on PostgreSQL in a scratch database${plan.redisUrl ? ', with limits, budgets and the cache on Redis (a scratch database index)' : ''}`
        : '') +
      `); **Portkey's gateway** ${portkeyVersion()} from npm (\`build/start-server.js --port=N --headless\`, ` +
      'pointed at the upstream per request with `x-portkey-provider: openai` and `x-portkey-custom-host`).',
    'Every target runs with LOG_LEVEL=warn, so logging is not what is measured. Portkey runs with two preloads: one ' +
      'binds its listener to 127.0.0.1 (it binds every interface by itself), one copies an upstream event-stream ' +
      'response before Portkey adds its headers, without which every Portkey stream fails on Node 20 with the ' +
      '@hono/node-server this workspace installs (`TypeError: immutable`, Portkey issues #1389/#1550).',
    'Load generator: its own process, undici `Pool` (HTTP/1.1 keep-alive, no pipelining). Open loop: requests on a ' +
      'fixed timetable kept by a clock thread (Atomics.wait, sub-millisecond), latency = completion (or first body ' +
      `byte) − scheduled start from process.hrtime.bigint(), so queuing shows (no coordinated omission); connections ${plan.rates
        .map((rate) => `${connectionsForRate(rate)} at ${rate}`)
        .join(
          ', ',
        )} req/s. Closed loop (max throughput): ${plan.closedLoopConcurrency} clients, each with its ` +
      'own connection, sending the next request when the last ends. ' +
      `Each step: ${plan.warmUpSeconds} s warm-up (not measured), ${plan.durationSeconds} s measured; stragglers get ` +
      `${plan.drainSeconds} s and then count as errors; request timeout ${plan.requestTimeoutMs / 1000} s. ` +
      `The generator sent requests ${medianLag.toFixed(3)} ms late at p50 and ${worstLag.toFixed(2)} ms at p99 ` +
      '(worst step), included in every latency.',
    'Request: a system prompt and a question (about 1 KB, 180 tokens), `max_tokens` 300; the question ends with a ' +
      'ticket number of its own per request, so nothing keyed on the whole prompt can skip work; streams ask for ' +
      '`stream_options.include_usage`. Every target’s answers were checked (content and `[DONE]`) before measuring; ' +
      'a response that is not 200 or not whole counts as an error.',
    'Peak RSS: the target process’s VmRSS sampled every 100 ms during each step, and its kernel high-water mark ' +
      '(VmHWM, reset at each step start through /proc/<pid>/clear_refs).',
    'Loopback only: every server binds 127.0.0.1 (checked in /proc/net/tcp after start), the generator refuses any ' +
      'other host, and PostgreSQL (when used) must be on loopback.',
  ];
}

async function measureEveryTarget(
  plan: BenchmarkPlan,
  upstream: RunningUpstream,
  progress: ProgressBar,
): Promise<{ steps: StepRecord[]; held: HeldStreamsRecord[] }> {
  const steps: StepRecord[] = [];
  const held: HeldStreamsRecord[] = [];
  const measure = async (label: string, start: () => Promise<RunningTarget>, holdStreams: boolean) => {
    progress.begin(`starting ${label}`);
    const target = await start();
    try {
      await verifyTarget(target.name, target.endpoint);
      progress.advance(startSeconds);
      steps.push(...(await measureTarget(plan, target, progress)));
      if (holdStreams) held.push(await measureHeldStreams(plan, target, progress));
    } finally {
      await target.stop();
    }
  };
  await measure('direct upstream', async () => directTarget(upstream), false);
  await measure('bare proxy', () => startBareProxy(upstream.origin), false);
  await measure('Kimi Platform', () => startPlatform(upstream.origin), true);
  const { postgresUrl } = plan;
  if (postgresUrl) {
    await withPlatformOnPostgres(plan, (options) =>
      measure(options.name, () => startPlatform(upstream.origin, options), true),
    );
  }
  await measure('Portkey', () => startPortkey(upstream.origin), false);
  return { steps, held };
}

function profileScenarios(plan: BenchmarkPlan, results: Pick<BenchmarkResults, 'goals'>): ProfileScenario[] {
  const missed = new Set(results.goals.filter((goal) => goal.met === false).map((goal) => goal.concerns));
  const scenarios: ProfileScenario[] = [];
  const shape = { kind: 'closed', concurrency: plan.closedLoopConcurrency } as const;
  if (plan.profile === 'always' || missed.has('json')) {
    scenarios.push({
      id: 'json-max',
      name: `JSON, max throughput (${shape.concurrency} clients)`,
      mode: 'json',
      shape,
    });
  }
  if (plan.profile === 'always' || missed.has('stream')) {
    scenarios.push({
      id: 'sse-max',
      name: `SSE, max throughput (${shape.concurrency} clients)`,
      mode: 'stream',
      shape,
    });
  }
  return plan.profile === 'never' ? [] : scenarios;
}

async function main(): Promise<void> {
  installCleanup();
  const plan = benchmarkPlan();
  const startedAt = new Date();
  const targets = 4 + (plan.postgresUrl ? 1 : 0);
  const progress = new ProgressBar(
    targets * (startSeconds + stepsPerTarget(plan) * stepSeconds(plan)) +
      (plan.postgresUrl ? 2 : 1) * heldStreamsSeconds(plan),
  );
  await mkdir(resultsDirectory, { recursive: true });
  progress.begin('starting the upstream');
  const upstream = await startUpstream({ slowFrameMs: plan.slowFrameMs });
  let steps: StepRecord[];
  let held: HeldStreamsRecord[];
  const profiles: ProfileFinding[] = [];
  let goals: BenchmarkResults['goals'];
  try {
    ({ steps, held } = await measureEveryTarget(plan, upstream, progress));
    goals = evaluateGoals(steps, held);
    const scenarios = profileScenarios(plan, { goals });
    progress.extend(scenarios.length * profileSeconds(plan));
    for (const scenario of scenarios) {
      profiles.push(await profilePlatform(plan, upstream.origin, scenario, resultsDirectory, progress));
    }
  } finally {
    await stopProcess(upstream.process);
    await stopAllProcesses();
    progress.finish();
  }
  const results: BenchmarkResults = {
    startedAt,
    finishedAt: new Date(),
    machine: machineFacts(),
    quick: plan.quick,
    steps,
    heldStreams: held,
    goals,
    profiles,
    notes: setupNotes(plan, steps),
  };
  const subtitle = `${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.nodeVersion}, ${startedAt.toISOString().slice(0, 10)}`;
  await writeFile(new URL('latest.md', resultsDirectory), resultsMarkdown(results));
  await writeFile(new URL('latency.svg', resultsDirectory), latencyChartSvg(steps, subtitle));
  process.stdout.write(
    `\n${textTable(steps)}\n\n` +
      `Ratios are to the bare Node proxy (the floor) at the same load; SSE latency is time to first byte.\n\n` +
      `Goals:\n${goalsText(goals)}\n\n` +
      (profiles.length > 0
        ? `Profiles (flame graphs in bench/results): ${profiles.map((profile) => profile.profilePath).join(', ')}\n`
        : '') +
      'Wrote bench/results/latest.md and bench/results/latency.svg.\n',
  );
}

await main();
