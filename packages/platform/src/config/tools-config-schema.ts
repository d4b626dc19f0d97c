import { z } from 'zod';

/** A server or tool name usable inside a model's tool name (`<server>__<tool>`). */
export const toolNamePartSchema = z
  .string()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9-]*(_[a-zA-Z0-9-]+)*$/,
    'must start with a letter and use letters, digits, - and single _',
  )
  .max(32);

/**
 * An MCP server run as a child process (stdio). Only the operator declares these, in the config
 * file: a tenant can only opt in to one by name, never give a command. The process gets the
 * SDK's minimal environment (PATH, HOME, …) plus `env`, never the platform's own secrets.
 */
export const stdioMcpServerConfigSchema = z
  .object({
    name: toolNamePartSchema,
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
    /** Organisation ids that may use it; absent means every organisation. */
    organizations: z.array(z.string().min(1)).optional(),
  })
  .strict();

/**
 * `tools:` in kimi.config.yaml — limits of agent tools and the operator's stdio MCP servers:
 *
 * ```yaml
 * tools:
 *   timeout_ms: 30000            # per tool call
 *   max_output_characters: 32000 # longer results are cut, with a note to the model
 *   http: { max_response_bytes: 1000000, max_redirects: 5 }
 *   mcp: { idle_timeout_ms: 300000, max_connections: 64 }
 *   mcp_stdio_servers:
 *     - { name: files, command: node, args: [/opt/mcp/files.js], organizations: [org_abc] }
 * ```
 */
export const toolsConfigSchema = z
  .object({
    timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
    max_output_characters: z.number().int().min(100).max(1_000_000).default(32_000),
    http: z
      .object({
        max_response_bytes: z
          .number()
          .int()
          .min(1024)
          .max(50 * 1024 * 1024)
          .default(1_000_000),
        max_redirects: z.number().int().min(0).max(20).default(5),
      })
      .strict()
      .default({ max_response_bytes: 1_000_000, max_redirects: 5 }),
    mcp: z
      .object({
        idle_timeout_ms: z.number().int().min(1000).default(300_000),
        max_connections: z.number().int().min(1).max(10_000).default(64),
      })
      .strict()
      .default({ idle_timeout_ms: 300_000, max_connections: 64 }),
    mcp_stdio_servers: z
      .array(stdioMcpServerConfigSchema)
      .default([])
      .refine(
        (servers) => new Set(servers.map((server) => server.name)).size === servers.length,
        'server names must be unique',
      ),
  })
  .strict();

export type ToolsConfig = z.output<typeof toolsConfigSchema>;
export type StdioMcpServerConfig = z.output<typeof stdioMcpServerConfigSchema>;

export const defaultToolsConfig: ToolsConfig = toolsConfigSchema.parse({});
