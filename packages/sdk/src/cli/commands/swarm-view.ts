import type { SwarmAnswer, SwarmEventAnswer } from '../kimi-client.ts';
import { formatUsd } from '../output/format.ts';
import { renderTable } from '../output/table.ts';

/** One agent as the live view shows it. */
export interface AgentView {
  id: string;
  role: string;
  status: string;
  model: string | null;
  /** Model calls so far (from the run's steps). */
  steps: number;
  toolCalls: number;
  /** The tool being called now, if any. */
  activeTool: string | null;
  costUsd: string;
}

/**
 * What `kimi swarm run --watch` knows about a run: built from its events (agents, tool calls,
 * status) and refreshed from `GET /v1/swarms/{id}` (steps and cost, which events do not carry).
 */
export class SwarmView {
  status = 'queued';
  costUsd = '0';
  toolCalls = 0;
  result: unknown = null;
  error: unknown = null;
  readonly agents = new Map<string, AgentView>();

  constructor(readonly runId: string) {}

  #agent(id: string, role?: string): AgentView {
    let agent = this.agents.get(id);
    if (!agent) {
      agent = {
        id,
        role: role ?? id,
        status: 'pending',
        model: null,
        steps: 0,
        toolCalls: 0,
        activeTool: null,
        costUsd: '0',
      };
      this.agents.set(id, agent);
    }
    if (role) agent.role = role;
    return agent;
  }

  /** Applies one event; returns a line describing it for non-terminal output, or null for deltas. */
  apply(event: SwarmEventAnswer): string | null {
    const data = event.data;
    const agentId = typeof data.agent_id === 'string' ? data.agent_id : null;
    switch (event.type) {
      case 'run-start':
        this.status = 'running';
        return `run ${this.runId} started`;
      case 'plan-ready': {
        const plan = data.plan as { subtasks?: Array<{ id: string; role: string }> } | undefined;
        for (const subtask of plan?.subtasks ?? []) this.#agent(subtask.id, subtask.role);
        const roles = (plan?.subtasks ?? []).map((subtask) => subtask.role);
        return `plan ready: ${roles.length} agents (${roles.join(', ')})`;
      }
      case 'agent-start': {
        if (!agentId) return null;
        const agent = this.#agent(agentId, typeof data.role === 'string' ? data.role : undefined);
        agent.status = 'running';
        agent.model = typeof data.model === 'string' ? data.model : agent.model;
        return `agent ${agent.role} started${agent.model ? ` on ${agent.model}` : ''}`;
      }
      case 'tool-call-start': {
        if (!agentId) return null;
        const agent = this.#agent(agentId);
        agent.activeTool = String(data.tool ?? '?');
        if (data.needs_approval === true) {
          agent.status = 'awaiting_approval';
          return `agent ${agent.role} waits for approval of ${agent.activeTool} (step ${String(data.step_id)})`;
        }
        return `agent ${agent.role} calls ${agent.activeTool}`;
      }
      case 'tool-call-end': {
        if (!agentId) return null;
        const agent = this.#agent(agentId);
        agent.activeTool = null;
        agent.toolCalls += 1;
        this.toolCalls += 1;
        return `agent ${agent.role}: ${String(data.tool ?? 'tool')} ${data.ok === true ? 'ok' : 'failed'}`;
      }
      case 'agent-end': {
        if (!agentId) return null;
        const agent = this.#agent(agentId);
        agent.status = String(data.status ?? 'completed');
        agent.activeTool = null;
        return `agent ${agent.role} ${agent.status}${data.error ? `: ${String(data.error)}` : ''}`;
      }
      case 'run-end':
      case 'run-error':
        this.status = String(data.status ?? (event.type === 'run-end' ? 'completed' : 'failed'));
        this.result = data.result ?? null;
        this.error = data.error ?? null;
        return `run ${this.status}`;
      default:
        return null;
    }
  }

  /** Takes steps, cost and statuses from the run as the API reports it. */
  refresh(run: SwarmAnswer): void {
    this.costUsd = run.usage.cost_usd;
    if (run.status !== 'queued' || this.status === 'queued') this.status = run.status;
    for (const reported of run.agents ?? []) {
      const agent = this.#agent(reported.id, reported.role);
      agent.steps = reported.steps.filter((step) => step.kind === 'model-call').length;
      agent.costUsd = reported.usage.cost_usd;
      if (reported.status !== 'pending' || agent.status === 'pending') agent.status = reported.status;
    }
  }

  /** The live block: one line for the run, a table of agents. */
  render(): string {
    const header = `swarm ${this.runId}  ${this.status}  agents ${this.agents.size}  tool calls ${this.toolCalls}  cost ${formatUsd(this.costUsd)}\n`;
    if (this.agents.size === 0) return header;
    return (
      header +
      renderTable(
        [...this.agents.values()],
        [
          { header: 'agent', value: (agent) => agent.role },
          {
            header: 'status',
            value: (agent) => (agent.activeTool ? `${agent.status} (${agent.activeTool})` : agent.status),
          },
          { header: 'steps', value: (agent) => agent.steps, align: 'right' },
          { header: 'tools', value: (agent) => agent.toolCalls, align: 'right' },
          { header: 'cost', value: (agent) => formatUsd(agent.costUsd), align: 'right' },
        ],
      )
    );
  }
}

/** Final answers are text; anything else is shown as JSON. */
export function resultText(result: unknown): string {
  if (result === null || result === undefined) return '';
  if (typeof result === 'string') return result;
  if (typeof result === 'object' && typeof (result as { content?: unknown }).content === 'string') {
    return (result as { content: string }).content;
  }
  return JSON.stringify(result, null, 2);
}
