/**
 * Every action the audit log records, dotted as `<what>.<verb>`. A new kind of change adds its
 * name here, so the list documents what is audited and a typo is a type error.
 */
export const auditActions = [
  'organization.created',
  'organization.disabled',
  'organization.plan_changed',
  'api_key.created',
  'api_key.revoked',
  'api_key.rotated',
  'member.added',
  'member.role_changed',
  'member.removed',
  'invitation.created',
  'invitation.revoked',
  'invitation.accepted',
  'team.created',
  'team.updated',
  'team.deleted',
  'team.member_added',
  'team.member_removed',
  'authentication.refused',
  'sso_connection.set',
  'sign_in.succeeded',
  'sign_in.failed',
  'sso_connection.deleted',
  'session.started',
  'session.ended',
  'session.refresh_reused',
  'provider_key.set',
  'provider_key.deleted',
  'plan.created',
  'plan.updated',
  'plan.deleted',
  'budget.created',
  'budget.updated',
  'budget.deleted',
  'rate_limits.updated',
  'webhook.set',
  'webhook.deleted',
  'cache_policy.updated',
  'cache.purged',
  'tool.created',
  'tool.deleted',
  'mcp_server.created',
  'mcp_server.deleted',
  'swarm_template.created',
  'swarm_template.replaced',
  'swarm_template.deleted',
  'tool_network_allowlist.set',
  'platform.cross_organization_read',
] as const;

export type AuditAction = (typeof auditActions)[number];

/** How an action filter reads: an exact action, or `<what>.*` for every action on one kind of thing. */
export const auditActionFilterPattern = /^[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?$/;
