import type { SwarmAnswer, SwarmEventAnswer } from '../kimi-client.ts';
import { formatUsd, renderTable } from '../output/index.ts';

const terminalAgentStatuses = new Set(['completed', 'failed', 'skipped', 'budget_exhausted', 'cancelled']);
const terminalRunStatuses = new Set(['completed', 'failed', 'cancelled', 'timed_out', 'budget_exhausted']);

/** How far along a status is: a replayed old event must not move an agent or run backwards. */
function progressRank(status: string, terminal: ReadonlySet<string>): number {
  if (terminal.has(status)) return 3;
  if (status === 'pending' || status === 'queued') return 0;
  // running and awaiting approval alternate during a run: the newer one wins
  return 1;
}

/** The later of two statuses (the new one when they are equally far along). */
function laterStatus(current: string, next: string, terminal: ReadonlySet<string>): string {
  return progressRank(next, terminal) >= progressRank(current, terminal) ? next : current;
}

/** `research-redis (researcher)`, or just the role when the agent is named after it. */
export function agentLabel(agent: Pick<AgentView, 'id' | 'role'>): string {
  return agent.id === agent.role ? agent.id : `${agent.id} (${agent.role})`;
}

/** One agent as the live view shows it. */
export interface AgentView {
  id: string;
  role: string;
  status: string;
  model: string | null;
  /** Model calls so far (from the run's steps). */
  steps: number;
  /** Ids of the tool-call steps that ended (from events and from the run's steps: one id, counted once). */
  toolCalls: Set<string>;
  /** The tool being called now, if any. */
  activeTool: string | null;
  /** The step waiting for a person's approval, if any. */
  awaitingStep: string | null;
  costUsd: string;
}

/**
 * What `kimi swarm run --watch` knows about a run: built from its events (agents, tool calls,
 * status) and refreshed from `GET /v1/swarms/{id}` (steps and cost, which events do not carry).
 */
export class SwarmView {
  status = 'queued';
  costUsd = '0';
  result: unknown = null;
  error: unknown = null;
  readonly agents = new Map<string, AgentView>();

  constructor(readonly runId: string) {}

  /** Tool calls of every agent so far. */
  get toolCalls(): number {
    let total = 0;
    for (const agent of this.agents.values()) total += agent.toolCalls.size;
    return total;
  }

  #setAgentStatus(agent: AgentView, status: string): void {
    agent.status = laterStatus(agent.status, status, terminalAgentStatuses);
  }

  #agent(id: string, role?: string): AgentView {
    let agent = this.agents.get(id);
    if (!agent) {
      agent = {
        id,
        role: role ?? id,
        status: 'pending',
        model: null,
        steps: 0,
        toolCalls: new Set(),
        activeTool: null,
        awaitingStep: null,
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
        this.status = laterStatus(this.status, 'running', terminalRunStatuses);
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
        this.#setAgentStatus(agent, 'running');
        agent.model = typeof data.model === 'string' ? data.model : agent.model;
        return `agent ${agentLabel(agent)} started${agent.model ? ` on ${agent.model}` : ''}`;
      }
      case 'tool-call-start': {
        if (!agentId) return null;
        const agent = this.#agent(agentId);
        agent.activeTool = String(data.tool ?? '?');
        if (data.needs_approval === true) {
          this.#setAgentStatus(agent, 'awaiting_approval');
          agent.awaitingStep = String(data.step_id);
          return (
            `agent ${agentLabel(agent)} waits for approval of ${agent.activeTool}: ` +
            `kimi swarm approve ${this.runId} --step ${String(data.step_id)} (or --reject)`
          );
        }
        return `agent ${agentLabel(agent)} calls ${agent.activeTool}`;
      }
      case 'tool-call-end': {
        if (!agentId) return null;
        const agent = this.#agent(agentId);
        agent.activeTool = null;
        agent.awaitingStep = null;
        this.#setAgentStatus(agent, 'running');
        agent.toolCalls.add(String(data.step_id ?? `event-${event.sequence}`));
        return `agent ${agentLabel(agent)}: ${String(data.tool ?? 'tool')} ${data.ok === true ? 'ok' : 'failed'}`;
      }
      case 'agent-end': {
        if (!agentId) return null;
        const agent = this.#agent(agentId);
        this.#setAgentStatus(agent, String(data.status ?? 'completed'));
        agent.activeTool = null;
        agent.awaitingStep = null;
        return `agent ${agentLabel(agent)} ${String(data.status ?? 'completed')}${data.error ? `: ${String(data.error)}` : ''}`;
      }
      case 'run-end':
      case 'run-error':
        this.status = laterStatus(
          this.status,
          String(data.status ?? (event.type === 'run-end' ? 'completed' : 'failed')),
          terminalRunStatuses,
        );
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
    this.status = laterStatus(this.status, run.status, terminalRunStatuses);
    for (const reported of run.agents ?? []) {
      const agent = this.#agent(reported.id, reported.role);
      agent.steps = reported.steps.filter((step) => step.kind === 'model-call').length;
      for (const step of reported.steps) {
        if (step.kind === 'tool-call' && step.status === 'completed') agent.toolCalls.add(step.id);
      }
      agent.costUsd = reported.usage.cost_usd;
      this.#setAgentStatus(agent, reported.status);
    }
  }

  /** The live block: one line for the run, a table of agents, and how to approve what waits. */
  render(): string {
    const waiting = [...this.agents.values()].filter((agent) => agent.awaitingStep !== null);
    const footer = waiting
      .map((agent) => `approve with: kimi swarm approve ${this.runId} --step ${agent.awaitingStep}\n`)
      .join('');
    return this.#renderTable() + footer;
  }

  #renderTable(): string {
    const header = `swarm ${this.runId}  ${this.status}  agents ${this.agents.size}  tool calls ${this.toolCalls}  cost ${formatUsd(this.costUsd)}\n`;
    if (this.agents.size === 0) return header;
    return (
      header +
      renderTable(
        [...this.agents.values()],
        [
          { header: 'agent', value: (agent) => agent.id },
          { header: 'role', value: (agent) => agent.role },
          {
            header: 'status',
            value: (agent) => (agent.activeTool ? `${agent.status} (${agent.activeTool})` : agent.status),
          },
          { header: 'steps', value: (agent) => agent.steps, align: 'right' },
          { header: 'tools', value: (agent) => agent.toolCalls.size, align: 'right' },
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
