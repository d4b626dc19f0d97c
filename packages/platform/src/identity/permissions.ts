import type { ApiKeyRole } from '../tenancy/index.ts';

/**
 * Every permission a route or service may require, with what it allows. A key's scopes are a
 * subset of these; a role is a set of them (the matrix below). The README's role table is
 * generated from this data and a test keeps the two equal.
 */
export const permissionDescriptions = {
  'models:invoke': 'Call models: chat completions, responses, messages, batches',
  embeddings: 'Create embeddings',
  'models:read': 'List models and routes, read provider health and responses',
  'swarms:read': 'Read swarm runs and their events',
  'swarms:write': 'Start, cancel and approve swarm runs',
  'tools:read': 'List tools, MCP servers and swarm templates',
  'tools:write': 'Register and delete HTTP tools, MCP servers and swarm templates',
  'knowledge:read': 'Search knowledge bases',
  'knowledge:write': 'Create knowledge bases and upload documents',
  'usage:read': "Read the organisation's usage and cache statistics",
  'audit:read': "Read and verify the organisation's audit log",
  'billing:read': 'Read the plan, subscription and invoices',
  'billing:write': 'Change the subscription and payment details',
  'admin:organization': 'Read the organisation, its plan and settings',
  'admin:keys': 'Create, rotate and revoke API keys',
  'admin:members': 'Invite people, change their roles, remove them; manage teams',
  'admin:owners': 'Make people owners and change owners',
  'admin:budgets': 'Set budgets, rate limits and budget-alert webhooks',
  'admin:providers': "Set the organisation's own provider keys",
  'admin:cache': 'Set cache policies and purge the cache',
  'admin:sso': 'Configure single sign-on',
  'platform:organizations': 'Create, list and disable organisations (platform operator)',
  'platform:plans': 'Create and change plans (platform operator)',
  'platform:network': "Open a tenant's tools to non-public networks (platform operator)",
} as const;

export type Permission = keyof typeof permissionDescriptions;

export const permissions = Object.keys(permissionDescriptions) as Permission[];

/** A role table row: what every key or member of that role may do. */
const viewer: readonly Permission[] = [
  'models:read',
  'swarms:read',
  'tools:read',
  'knowledge:read',
  'usage:read',
];

const developer: readonly Permission[] = [
  ...viewer,
  'models:invoke',
  'embeddings',
  'swarms:write',
  'knowledge:write',
];

const administrator: readonly Permission[] = [
  ...developer,
  'tools:write',
  'audit:read',
  'admin:organization',
  'admin:keys',
  'admin:members',
  'admin:budgets',
  'admin:providers',
  'admin:cache',
  'admin:sso',
];

/** The permission matrix: role × permission. */
export const rolePermissions: Readonly<Record<ApiKeyRole, ReadonlySet<Permission>>> = {
  platform_admin: new Set(permissions),
  owner: new Set([...administrator, 'admin:owners', 'billing:read', 'billing:write']),
  admin: new Set(administrator),
  developer: new Set(developer),
  viewer: new Set(viewer),
  billing: new Set(['models:read', 'usage:read', 'billing:read', 'billing:write', 'admin:organization']),
};

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissionDescriptions, value);
}
