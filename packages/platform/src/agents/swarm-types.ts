import type { AuthContext } from '../tenancy/index.ts';

export type SwarmRunStatus =
  | 'queued'
  | 'running'
  | 'awaiting_approval'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'timed_out'
  | 'budget_exhausted';

export const terminalStatuses: readonly SwarmRunStatus[] = [
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'budget_exhausted',
];

export const liveStatuses: readonly SwarmRunStatus[] = ['queued', 'running', 'awaiting_approval'];

export type SwarmEventType =
  | 'run-start'
  | 'plan-ready'
  | 'agent-start'
  | 'text-delta'
  | 'tool-call-start'
  | 'tool-call-end'
  | 'agent-end'
  | 'synthesis-delta'
  | 'run-end'
  | 'run-error';

/** One role a run may staff an agent with: from a template or given inline. */
export interface AgentSpecification {
  role: string;
  instructions: string;
  /** A model name, alias or routing group; the run's default model when absent. */
  model?: string;
  tools: string[];
  /** Roles whose subtasks must finish first (the template's or the inline agents'); every plan keeps them. */
  dependsOn: string[];
}

/** Everything a worker needs to execute a run, fixed when the run is created. */
export interface RunSpecification {
  agents: AgentSpecification[];
  /** The model of the planner, the synthesis and agents without their own. */
  model: string;
  maxAgents: number;
  maxParallel: number;
  maxIterations: number;
  maxOutputTokens: number;
  plannerInstructions?: string;
  synthesisInstructions?: string;
  /**
   * The knowledge bases `knowledge_search` is bound to (the run's `knowledge_bases`, else the
   * template's); absent: unbound. Stored with the specification, so a resumed run searches the same.
   */
  knowledgeBases?: string[];
}

/** The tool options a run's specification fixes (its knowledge bases). */
export function toolOptionsOf(specification: RunSpecification): { knowledgeBases?: readonly string[] } {
  return specification.knowledgeBases && specification.knowledgeBases.length > 0
    ? { knowledgeBases: specification.knowledgeBases }
    : {};
}

export interface PlannedSubtask {
  id: string;
  role: string;
  instructions: string;
  depends_on: string[];
}

export interface SwarmPlan {
  subtasks: PlannedSubtask[];
}

/** A run's row, as the runtime reads it. */
export interface SwarmRunRecord {
  id: string;
  organizationId: string;
  status: SwarmRunStatus;
  task: string;
  template: string | null;
  specification: RunSpecification;
  caller: AuthContext;
  plan: SwarmPlan | null;
  result: string | null;
  error: { code: string; message: string } | null;
  budgetUsd: string | null;
  spentUsd: string;
  reservedUsd: string;
  promptTokens: number;
  completionTokens: number;
  deadlineAt: Date;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export type StepKind = 'plan' | 'model-call' | 'tool-call' | 'agent-result' | 'synthesis';
export type StepStatus = 'running' | 'completed' | 'failed' | 'awaiting_approval' | 'approved' | 'rejected';

export interface SwarmStepRecord {
  key: string;
  kind: StepKind;
  agentId: string | null;
  status: StepStatus;
  attempts: number;
  input: unknown;
  output: unknown;
  error: string | null;
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  costUsd: string;
  startedAt: Date;
  completedAt: Date | null;
}

export interface SwarmEvent {
  sequence: number;
  type: SwarmEventType;
  data: Record<string, unknown>;
  createdAt: Date;
}
