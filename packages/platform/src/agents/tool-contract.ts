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
}
export interface TemplateResolver {
  resolve(organizationId: string, name: string): Promise<SwarmTemplate | null>;
}
