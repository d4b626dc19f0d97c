import type { HttpToolRecord, McpServerRecord } from '../../agents/tools/index.ts';

/**
 * What the audit log keeps of an organisation's tools and servers: never a tool's signing secret
 * or a server's header values (only the header names).
 */

export function httpToolSummary(record: HttpToolRecord) {
  return {
    name: record.name,
    description: record.description,
    url: record.url,
    parameters: record.parameters,
    needs_approval: record.needsApproval,
  };
}

export function mcpServerSummary(server: McpServerRecord) {
  return {
    name: server.name,
    transport: server.transport,
    url: server.url,
    configured_server: server.configuredServer,
    header_names: server.headerNames,
    needs_approval: server.needsApproval,
  };
}
