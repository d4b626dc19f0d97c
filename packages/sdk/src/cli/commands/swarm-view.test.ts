import { describe, expect, it } from 'vitest';
import type { SwarmAnswer } from '../kimi-client.ts';
import { SwarmView } from './swarm-view.ts';

const event = (sequence: number, type: string, data: Record<string, unknown>) => ({ sequence, type, data });

const finishedRun: SwarmAnswer = {
  id: 'swarm_1',
  status: 'completed',
  task: 't',
  template: null,
  usage: { prompt_tokens: 10, completion_tokens: 5, cost_usd: '0.002' },
  created_at: null,
  finished_at: null,
  agents: [
    {
      id: 'research-redis',
      role: 'researcher',
      status: 'completed',
      usage: { prompt_tokens: 10, completion_tokens: 5, cost_usd: '0.002' },
      steps: [
        { id: 'agent:research-redis:model:0', kind: 'model-call', status: 'completed' },
        { id: 'agent:research-redis:tool:0:0', kind: 'tool-call', status: 'completed' },
        { id: 'agent:research-redis:model:1', kind: 'model-call', status: 'completed' },
      ],
    },
  ],
};

describe('SwarmView', () => {
  it('follows agents through their events, one line per milestone', () => {
    const view = new SwarmView('swarm_1');
    const lines = [
      view.apply(event(1, 'run-start', {})),
      view.apply(
        event(2, 'plan-ready', { plan: { subtasks: [{ id: 'research-redis', role: 'researcher' }] } }),
      ),
      view.apply(
        event(3, 'agent-start', { agent_id: 'research-redis', role: 'researcher', model: 'sim/fast' }),
      ),
      view.apply(event(4, 'tool-call-start', { agent_id: 'research-redis', step_id: 's1', tool: 'lookup' })),
      view.apply(event(5, 'text-delta', { agent_id: 'research-redis', delta: 'x' })),
      view.apply(
        event(6, 'tool-call-end', { agent_id: 'research-redis', step_id: 's1', tool: 'lookup', ok: true }),
      ),
      view.apply(event(7, 'agent-end', { agent_id: 'research-redis', status: 'completed' })),
      view.apply(event(8, 'run-end', { status: 'completed', result: 'done' })),
    ];
    expect(lines).toEqual([
      'run swarm_1 started',
      'plan ready: 1 agents (researcher)',
      'agent research-redis (researcher) started on sim/fast',
      'agent research-redis (researcher) calls lookup',
      null,
      'agent research-redis (researcher): lookup ok',
      'agent research-redis (researcher) completed',
      'run completed',
    ]);
    expect(view.status).toBe('completed');
    expect(view.result).toBe('done');
    expect(view.toolCalls).toBe(1);
  });

  it('does not move backwards when old events are replayed after the run was read', () => {
    const view = new SwarmView('swarm_1');
    view.refresh(finishedRun);
    view.apply(event(1, 'run-start', {}));
    view.apply(event(3, 'agent-start', { agent_id: 'research-redis', role: 'researcher' }));
    view.apply(
      event(6, 'tool-call-end', {
        agent_id: 'research-redis',
        step_id: 'agent:research-redis:tool:0:0',
        ok: true,
      }),
    );
    expect(view.status).toBe('completed');
    expect(view.agents.get('research-redis')).toMatchObject({ status: 'completed', steps: 2 });
    // the tool call is in the steps and in the replayed event, and counted once
    expect(view.toolCalls).toBe(1);
    expect(view.render()).toMatch(/^research-redis\s+researcher\s+completed\s+2\s+1\s+\$0\.002$/m);
    expect(view.render().split('\n')[0]).toBe(
      'swarm swarm_1  completed  agents 1  tool calls 1  cost $0.002',
    );
  });

  it('says how to approve a call that waits, until it ended', () => {
    const view = new SwarmView('swarm_2');
    view.apply(event(1, 'agent-start', { agent_id: 'releaser', role: 'releaser' }));
    view.apply(
      event(2, 'tool-call-start', {
        agent_id: 'releaser',
        step_id: 'step-7',
        tool: 'deploy',
        needs_approval: true,
      }),
    );
    expect(view.render()).toMatch(/^releaser\s+releaser\s+awaiting_approval \(deploy\)/m);
    expect(view.render()).toContain('approve with: kimi swarm approve swarm_2 --step step-7\n');
    view.apply(
      event(3, 'tool-call-end', { agent_id: 'releaser', step_id: 'step-7', tool: 'deploy', ok: true }),
    );
    expect(view.render()).not.toContain('approve with');
    expect(view.agents.get('releaser')?.status).toBe('running');
  });
});
