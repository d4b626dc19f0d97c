// 4. An agent swarm with a live watch: start a run, follow its events (agents, tool calls) as they
// happen, then print the result and what it cost. The watch resumes by itself after a dropped
// connection (Last-Event-ID), and ends at the run's last event.
// Run: KIMI_API_KEY=$(cat .kimi/admin-key) node --import tsx examples/sdk/04-swarm-watch.ts
import { Kimi } from '@kimi/sdk';

const kimi = new Kimi();

const run = await kimi.swarms.create({
  task: 'Compare PostgreSQL and Redis as the backend of a job queue',
  model: process.env.KIMI_MODEL ?? 'sim/fast',
  ...(process.env.KIMI_SWARM_TEMPLATE ? { template: process.env.KIMI_SWARM_TEMPLATE } : {}),
  budget_usd: 1,
});
console.log(`run ${run.id} ${run.status}`);

for await (const event of kimi.swarms.watch(run.id)) {
  const data = (event.data ?? {}) as Record<string, unknown>;
  switch (event.type) {
    case 'plan-ready': {
      const subtasks = (data.plan as { subtasks: Array<{ id: string; role: string }> }).subtasks;
      console.log(`plan: ${subtasks.map((subtask) => `${subtask.id} (${subtask.role})`).join(', ')}`);
      break;
    }
    case 'agent-start':
      console.log(`  agent ${data.agent_id} started on ${data.model}`);
      break;
    case 'tool-call-start':
      console.log(`  agent ${data.agent_id} calls ${data.tool}`);
      break;
    case 'agent-end':
      console.log(`  agent ${data.agent_id} ${data.status}`);
      break;
    case 'run-end':
    case 'run-error':
      console.log(`run ${data.status}`);
      break;
  }
}

const finished = await kimi.swarms.get(run.id);
for (const agent of finished.agents ?? []) console.log(`  ${agent.id}: ${agent.status}`);
console.log(`\n${finished.result ?? '(no result)'}`);
console.log(`\nstatus ${finished.status}, cost $${finished.usage.cost_usd}`);
if (finished.status !== 'completed') process.exitCode = 1;
