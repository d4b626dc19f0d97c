import type { SwarmTemplate } from '../../agents/index.ts';
import type { HttpToolRecord, McpServerRecord, ToolListing } from '../../agents/tools/index.ts';

export function serializeToolListing(listing: ToolListing) {
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

export function serializeHttpTool(record: HttpToolRecord) {
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

export function serializeMcpServer(record: McpServerRecord) {
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

export function serializeTemplate(
  template: SwarmTemplate,
  source: 'built-in' | 'organization',
  dates?: { createdAt: Date; updatedAt: Date },
) {
  return {
    object: 'swarm_template' as const,
    ...template,
    source,
    ...(dates
      ? { created_at: dates.createdAt.toISOString(), updated_at: dates.updatedAt.toISOString() }
      : {}),
  };
}
