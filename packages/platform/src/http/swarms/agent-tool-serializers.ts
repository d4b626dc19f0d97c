import { z } from 'zod';
import type { SwarmTemplate } from '../../agents/index.ts';
import type { HttpToolRecord, McpServerRecord, ToolListing } from '../../agents/tools/index.ts';
import { timestampSchema } from '../openapi/index.ts';

const parametersSchema = z
  .record(z.string(), z.unknown())
  .describe("A JSON Schema (type `object`) of the tool's arguments.");

export const toolListingSchema = z
  .object({
    object: z.literal('tool'),
    name: z.string().describe('As agents name it: MCP tools are `<server>__<tool>`.'),
    description: z.string(),
    parameters: parametersSchema,
    needs_approval: z.boolean().describe('Whether a call waits for POST /v1/swarms/{id}/approvals.'),
    source: z.enum(['built-in', 'http', 'mcp']),
    server: z.string().optional().describe('For MCP tools: the server that provides it.'),
  })
  .meta({ id: 'Tool', description: 'A tool agents can be given: built-in, HTTP or MCP.' });

export const toolListingExample = {
  object: 'tool',
  name: 'calculator',
  description: 'Evaluates an arithmetic expression and returns the number.',
  parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  needs_approval: false,
  source: 'built-in',
} satisfies z.output<typeof toolListingSchema>;

export function serializeToolListing(listing: ToolListing): z.output<typeof toolListingSchema> {
  return {
    object: 'tool' as const,
    name: listing.definition.name,
    description: listing.definition.description,
    parameters: listing.definition.parameters,
    needs_approval: listing.definition.needsApproval ?? false,
    source: listing.source,
    ...(listing.server ? { server: listing.server } : {}),
  };
}

export const httpToolSchema = z
  .object({
    object: z.literal('tool'),
    id: z.string(),
    name: z.string(),
    description: z.string(),
    parameters: parametersSchema,
    needs_approval: z.boolean(),
    source: z.literal('http'),
    url: z.string().describe('Where calls are POSTed, signed with the tool’s secret (`x-kimi-signature`).'),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'HttpTool', description: "An organisation's HTTP tool: agents' calls go to its URL." });

export const httpToolExample = {
  object: 'tool',
  id: 'tool_2Vb7Qx4mT1zR9sLk',
  name: 'lookup_customer',
  description: 'Look a customer up by email.',
  parameters: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
  needs_approval: false,
  source: 'http',
  url: 'https://tools.example.com/lookup-customer',
  created_at: '2026-12-07T16:00:00.000Z',
  updated_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof httpToolSchema>;

export const createdHttpToolSchema = httpToolSchema
  .extend({
    secret: z
      .string()
      .describe(
        'The signing secret, shown this once: calls carry `x-kimi-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.',
      ),
  })
  .meta({ id: 'HttpToolWithSecret' });

export function serializeHttpTool(record: HttpToolRecord): z.output<typeof httpToolSchema> {
  return {
    object: 'tool' as const,
    id: record.id,
    name: record.name,
    description: record.description,
    parameters: record.parameters,
    needs_approval: record.needsApproval,
    source: 'http' as const,
    url: record.url,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

export const mcpServerSchema = z
  .object({
    object: z.literal('mcp_server'),
    id: z.string(),
    name: z.string().describe('Its tools are named `<name>__<tool>`.'),
    transport: z.enum(['streamable_http', 'stdio']),
    url: z.string().nullable().describe('For `streamable_http`: the server URL.'),
    server: z.string().nullable().describe('For `stdio`: the operator-declared server it names.'),
    header_names: z
      .array(z.string())
      .describe('The headers sent to the server; their values are sealed and never shown.'),
    needs_approval: z.boolean().describe("Whether its tools' calls wait for approval."),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'McpServer', description: "An organisation's Model Context Protocol server." });

export const mcpServerExample = {
  object: 'mcp_server',
  id: 'mcp_9sLk2Vb7Qx4mT1zR',
  name: 'docs',
  transport: 'streamable_http',
  url: 'https://mcp.example.com/mcp',
  server: null,
  header_names: ['Authorization'],
  needs_approval: false,
  created_at: '2026-12-07T16:00:00.000Z',
  updated_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof mcpServerSchema>;

export const mcpServerDetailSchema = mcpServerSchema
  .extend({
    tools: z.array(toolListingSchema).describe('The tools the server offers now.'),
    error: z.string().optional().describe('Why its tools could not be listed, when they could not.'),
  })
  .meta({ id: 'McpServerDetail' });

export function serializeMcpServer(record: McpServerRecord): z.output<typeof mcpServerSchema> {
  return {
    object: 'mcp_server' as const,
    id: record.id,
    name: record.name,
    transport: record.transport,
    url: record.url,
    server: record.configuredServer,
    header_names: record.headerNames,
    needs_approval: record.needsApproval,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

const templateAgentSchema = z.object({
  role: z.string(),
  instructions: z.string(),
  tools: z.array(z.string()),
  model: z.string().optional(),
  routing_policy: z.string().optional(),
  depends_on: z
    .array(z.string())
    .optional()
    .describe('Roles whose work this agent builds on: it starts once they finished.'),
});

export const swarmTemplateObjectSchema = z
  .object({
    object: z.literal('swarm_template'),
    name: z.string(),
    description: z.string(),
    agents: z.array(templateAgentSchema),
    planner_instructions: z.string().optional(),
    synthesis_instructions: z.string().optional(),
    knowledge_bases: z
      .array(z.string())
      .optional()
      .describe(
        "The knowledge bases `knowledge_search` searches; a run's own `knowledge_bases` replaces them.",
      ),
    source: z.enum(['built-in', 'organization']),
    created_at: timestampSchema.optional().describe('Organisation templates only.'),
    updated_at: timestampSchema.optional().describe('Organisation templates only.'),
  })
  .meta({ id: 'SwarmTemplate', description: 'A reusable team of agents for swarm runs.' });

export const swarmTemplateExample = {
  object: 'swarm_template',
  name: 'support-triage',
  description: 'Classify a support ticket and draft an answer.',
  agents: [
    { role: 'classifier', instructions: 'Classify the ticket by product and urgency.', tools: [] },
    {
      role: 'writer',
      instructions: 'Draft a reply using the knowledge base.',
      tools: ['knowledge_search'],
      depends_on: ['classifier'],
    },
  ],
  source: 'organization',
  created_at: '2026-12-07T16:00:00.000Z',
  updated_at: '2026-12-07T16:00:00.000Z',
} satisfies z.output<typeof swarmTemplateObjectSchema>;

export function serializeTemplate(
  template: SwarmTemplate,
  source: 'built-in' | 'organization',
  dates?: { createdAt: Date; updatedAt: Date },
): z.output<typeof swarmTemplateObjectSchema> {
  return {
    object: 'swarm_template' as const,
    ...template,
    source,
    ...(dates
      ? { created_at: dates.createdAt.toISOString(), updated_at: dates.updatedAt.toISOString() }
      : {}),
  };
}

/** What DELETE answers for a tool, an MCP server or a template. */
export function deletedSchema<Kind extends string>(object: Kind, id: string) {
  return z.object({ object: z.literal(object), name: z.string(), deleted: z.literal(true) }).meta({ id });
}
