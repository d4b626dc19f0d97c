import type { AuthContext } from '../tenancy/index.ts';

export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown> /* JSON schema */;
  needsApproval?: boolean;
}
export interface ToolExecutionContext {
  organizationId: string;
  runId: string;
  stepKey: string;
  signal: AbortSignal;
  /** Who the run acts for: a tool that calls the gateway (knowledge_search embeds its query) calls as it. */
  caller?: AuthContext;
  /** The step's attempt (1 on its first execution), so a gateway call a tool makes has a request id per attempt. */
  attempt?: number;
}
/** What a run fixes about the tools it resolves. */
export interface ToolResolveOptions {
  /** The knowledge bases the run is bound to: `knowledge_search` searches exactly these (or narrows to one). */
  knowledgeBases?: readonly string[];
}
export type ToolResult = { ok: true; output: string } | { ok: false; error: string };
export interface Tool {
  definition: ToolDefinition;
  execute(argumentsJson: unknown, context: ToolExecutionContext): Promise<ToolResult>;
}
export interface ToolResolver {
  resolve(
    organizationId: string,
    names: readonly string[],
    options?: ToolResolveOptions,
  ): Promise<Tool[]> /* throws a 400 PlatformError naming the unknown tool */;
}
export interface SwarmTemplate {
  name: string;
  description: string;
  agents: {
    role: string;
    instructions: string;
    tools: string[];
    model?: string;
    routing_policy?: string;
    /** Roles of this template whose work the agent builds on: it starts once they finished. */
    depends_on?: string[];
  }[];
  planner_instructions?: string;
  synthesis_instructions?: string;
  /** Knowledge bases the template's `knowledge_search` searches; a run's own `knowledge_bases` replaces them. */
  knowledge_bases?: string[];
}
export interface TemplateResolver {
  resolve(organizationId: string, name: string): Promise<SwarmTemplate | null>;
}
