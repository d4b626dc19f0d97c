import type { Command } from 'commander';
import { CliError, usageError } from '../cli-error.ts';
import { type ActionBinder, nonNegativeNumber, positiveInteger } from '../command-kit.ts';
import type { CommandContext } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';
import { itemsOf, type KimiClient, type SwarmAnswer } from '../kimi-client.ts';
import { formatTime, formatUsd, renderFields, renderTable } from '../output/index.ts';
import { resultText, SwarmView } from './swarm-view.ts';

const failedStatuses = new Set(['failed', 'cancelled', 'canceled', 'timed_out', 'budget_exhausted']);

/** A run that ended without its answer is a failed outcome: exit 10, like any failed check. */
function exitCodeForRun(status: string): number {
  return failedStatuses.has(status) ? exitCodes.checkFailed : exitCodes.ok;
}

/**
 * Follows a run to its end. On a terminal: a block (run line + agents table with steps, tool
 * calls, cost) redrawn in place. Otherwise one line per milestone; with `--json` every event as a
 * JSON line. Steps and cost come from re-reading the run when an agent or tool call ends.
 */
async function followRun(context: CommandContext, client: KimiClient, runId: string): Promise<SwarmAnswer> {
  const view = new SwarmView(runId);
  const live = context.stdoutIsTerminal && !context.json;
  let drawnLines = 0;
  const redraw = () => {
    // why cut lines to the width: a wrapped line would make the cursor-up count wrong
    const width = Math.max(20, (context.io.stdout.columns ?? 120) - 1);
    const block = view
      .render()
      .split('\n')
      .map((line) => ([...line].length > width ? [...line].slice(0, width).join('') : line))
      .join('\n');
    context.write(`${drawnLines > 0 ? `\x1b[${drawnLines}F\x1b[0J` : ''}${block}`);
    drawnLines = block.split('\n').length - 1;
  };
  view.refresh(await client.swarms.get(runId));
  if (live) redraw();
  for await (const event of client.swarms.watch(runId)) {
    if (context.json) context.printJsonLine(event);
    const line = view.apply(event);
    if (['agent-end', 'tool-call-end', 'plan-ready', 'run-end', 'run-error'].includes(event.type)) {
      view.refresh(await client.swarms.get(runId));
    }
    if (live && line !== null) redraw();
    else if (line !== null) context.print(line);
  }
  const run = await client.swarms.get(runId);
  view.refresh(run);
  if (live) redraw();
  else context.print(view.render());
  return run;
}

function printRunEnd(context: CommandContext, run: SwarmAnswer): void {
  context.printJsonLine(run);
  const text = resultText(run.result);
  if (text) context.print(`\n${text}`);
  if (run.error)
    context.print(`error: ${typeof run.error === 'string' ? run.error : JSON.stringify(run.error)}`);
  context.print(`\nrun ${run.id} ${run.status}, cost ${formatUsd(run.usage.cost_usd)}`);
  context.exitCode = exitCodeForRun(run.status);
}

interface RunOptions {
  task: string;
  template?: string;
  model?: string;
  budget?: number;
  maxAgents?: number;
  knowledgeBase?: string[];
  watch?: boolean;
}

async function runSwarm(context: CommandContext, _args: unknown[], options: RunOptions): Promise<void> {
  const client = await context.client();
  const created = await client.swarms.create({
    task: options.task,
    ...(options.template ? { template: options.template } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.budget === undefined ? {} : { budget_usd: options.budget }),
    ...(options.maxAgents === undefined ? {} : { max_agents: options.maxAgents }),
    ...(options.knowledgeBase?.length ? { knowledge_bases: options.knowledgeBase } : {}),
  });
  if (!options.watch) {
    context.printJson(created);
    context.print(`run ${created.id} ${created.status}\nFollow it with: kimi swarm watch ${created.id}`);
    return;
  }
  context.note(
    `run ${created.id} created. Ctrl-C stops watching, not the run: kimi swarm watch ${created.id} ` +
      `follows it again, kimi swarm cancel ${created.id} stops it.`,
  );
  printRunEnd(context, await followRun(context, client, created.id));
}

async function watchSwarm(context: CommandContext, args: unknown[]): Promise<void> {
  const client = await context.client();
  printRunEnd(context, await followRun(context, client, String(args[0])));
}

async function getSwarm(context: CommandContext, args: unknown[]): Promise<void> {
  const run = await (await context.client()).swarms.get(String(args[0]));
  context.printJson(run);
  context.print(
    renderFields([
      ['id', run.id],
      ['status', run.status],
      ['task', run.task],
      ['template', run.template],
      ['cost', formatUsd(run.usage.cost_usd)],
      ['tokens', `${run.usage.prompt_tokens} in, ${run.usage.completion_tokens} out`],
      ['created', formatTime(run.created_at)],
      ['finished', formatTime(run.finished_at)],
    ]),
  );
  const view = new SwarmView(run.id);
  view.refresh(run);
  if (view.agents.size > 0) context.print(view.render().split('\n').slice(1).join('\n'));
  for (const approval of run.pending_approvals ?? []) {
    context.print(`awaiting approval: step ${approval.step_id} (agent ${approval.agent_id ?? '-'})`);
  }
  const text = resultText(run.result);
  if (text) context.print(`\n${text}`);
}

async function listSwarms(
  context: CommandContext,
  _args: unknown[],
  options: { status?: string; limit?: number },
): Promise<void> {
  const list = await (await context.client()).swarms.list({
    ...(options.status ? { status: options.status } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  });
  const runs = itemsOf(list);
  context.printJson(list);
  context.print(
    renderTable(runs, [
      { header: 'id', value: (run) => run.id },
      { header: 'status', value: (run) => run.status },
      { header: 'template', value: (run) => run.template },
      { header: 'cost', value: (run) => formatUsd(run.usage.cost_usd), align: 'right' },
      { header: 'created', value: (run) => formatTime(run.created_at) },
      { header: 'task', value: (run) => (run.task.length > 50 ? `${run.task.slice(0, 49)}…` : run.task) },
    ]),
  );
}

async function cancelSwarm(context: CommandContext, args: unknown[]): Promise<void> {
  const run = await (await context.client()).swarms.cancel(String(args[0]));
  context.printJson(run);
  context.print(`run ${run.id} ${run.status}`);
}

async function approveSwarm(
  context: CommandContext,
  args: unknown[],
  options: { step?: string; reject?: boolean; reason?: string },
): Promise<void> {
  const client = await context.client();
  const runId = String(args[0]);
  let stepId = options.step;
  if (!stepId) {
    const pending = (await client.swarms.get(runId)).pending_approvals ?? [];
    if (pending.length === 0) {
      throw new CliError(
        'NOTHING_TO_APPROVE',
        `Run ${runId} waits for no approval.`,
        exitCodes.resources,
        null,
      );
    }
    if (pending.length > 1) {
      throw usageError(
        `Run ${runId} waits for ${pending.length} approvals.`,
        `Name one with --step (${pending.map((approval) => approval.step_id).join(', ')}).`,
      );
    }
    stepId = pending[0]!.step_id;
  }
  const answer = await client.swarms.approve(runId, {
    approval_id: stepId,
    decision: options.reject ? 'reject' : 'approve',
    ...(options.reason ? { reason: options.reason } : {}),
  });
  context.printJson(answer);
  context.print(`${options.reject ? 'rejected' : 'approved'} step ${stepId} of run ${runId}`);
}

async function listTemplates(context: CommandContext): Promise<void> {
  const list = await (await context.client()).swarms.templates.list();
  context.printJson(list);
  context.print(
    renderTable(itemsOf(list), [
      { header: 'name', value: (template) => template.name },
      { header: 'agents', value: (template) => template.agents?.length, align: 'right' },
      { header: 'description', value: (template) => template.description },
    ]),
  );
}

/** `kimi swarm run|watch|get|list|cancel|approve|templates`. */
export function registerSwarmCommands(program: Command, bind: ActionBinder): void {
  const swarm = program.command('swarm').description('Agent swarms: run, follow and manage them.');
  swarm
    .command('run')
    .description('Start a swarm run; with --watch, follow it live (agents, steps, tool calls, cost).')
    .requiredOption('-t, --task <text>', 'what the swarm should do')
    .option('--template <name>', 'a template (e.g. security-audit, research-report)')
    .option('-m, --model <model>', "the agents' default model")
    .option('--budget <usd>', 'spending ceiling in USD', nonNegativeNumber)
    .option('--max-agents <n>', 'most agents the plan may use', positiveInteger)
    .option('--knowledge-base <id...>', "knowledge bases the agents' knowledge_search may search")
    .option('-w, --watch', 'follow the run until it ends; exit 10 if it does not complete')
    .action(bind(runSwarm));
  swarm
    .command('watch')
    .argument('<run-id>')
    .description('Follow a run until it ends.')
    .action(bind(watchSwarm));
  swarm
    .command('get')
    .argument('<run-id>')
    .description('Show a run, its agents and result.')
    .action(bind(getSwarm));
  swarm
    .command('list')
    .description("The organisation's runs, newest first.")
    .option('--status <status>', 'only runs with this status')
    .option('--limit <n>', 'most runs to show', positiveInteger)
    .action(bind(listSwarms));
  swarm.command('cancel').argument('<run-id>').description('Cancel a run.').action(bind(cancelSwarm));
  swarm
    .command('approve')
    .argument('<run-id>')
    .description('Accept (or --reject) a tool call waiting for approval.')
    .option('--step <step-id>', 'the waiting step (needed when several wait)')
    .option('--reject', 'reject the call instead')
    .option('--reason <text>', 'why, recorded with the decision')
    .action(bind(approveSwarm));
  swarm.command('templates').description('The swarm templates available.').action(bind(listTemplates));
}
