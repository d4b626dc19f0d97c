import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../tenancy/index.ts';
import { effectivePermissions, hasPermission, requirePermission, ungrantablePermission } from './access.ts';
import { renderPermissionTable } from './permission-table.ts';
import { permissions, rolePermissions } from './permissions.ts';

function caller(role: AuthContext['role'], scopes: string[] | null = null): AuthContext {
  return {
    organizationId: 'org_a',
    principal: 'api_key',
    apiKeyId: 'key_a',
    keyName: 'a',
    role,
    scopes,
    userId: null,
    teamId: null,
    allowedModels: null,
    expiresAt: null,
    plan: null,
    organizationRateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null },
    keyRateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null },
    teamRateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null },
  };
}

describe('the permission matrix', () => {
  it('orders the roles: viewer ⊂ developer ⊂ admin ⊂ owner ⊂ platform admin', () => {
    const chain = ['viewer', 'developer', 'admin', 'owner', 'platform_admin'] as const;
    for (let index = 1; index < chain.length; index += 1) {
      for (const permission of rolePermissions[chain[index - 1]!]) {
        expect(rolePermissions[chain[index]!].has(permission), `${chain[index]} ${permission}`).toBe(true);
      }
    }
    expect(rolePermissions.platform_admin.size).toBe(permissions.length);
  });

  it('keeps billing to owners and the billing role, and platform permissions to the platform admin', () => {
    const holders = (permission: (typeof permissions)[number]) =>
      Object.entries(rolePermissions)
        .filter(([, granted]) => granted.has(permission))
        .map(([role]) => role)
        .sort();
    expect(holders('billing:write')).toEqual(['billing', 'owner', 'platform_admin']);
    expect(holders('platform:organizations')).toEqual(['platform_admin']);
    expect(holders('admin:owners')).toEqual(['owner', 'platform_admin']);
  });

  it('narrows a role by scopes, never widens it', () => {
    expect(hasPermission(caller('developer', ['models:invoke']), 'models:invoke')).toBe(true);
    expect(hasPermission(caller('developer', ['models:invoke']), 'usage:read')).toBe(false);
    expect(hasPermission(caller('viewer', ['models:invoke']), 'models:invoke')).toBe(false);
    expect(effectivePermissions(caller('admin', ['admin:keys', 'usage:read']))).toEqual([
      'usage:read',
      'admin:keys',
    ]);
  });

  it('checks the organisation acted in, except for the platform admin', () => {
    expect(() => requirePermission(caller('admin'), 'admin:keys', 'org_a')).not.toThrow();
    expect(() => requirePermission(caller('admin'), 'admin:keys', 'org_b')).toThrow(/org_b/);
    expect(() => requirePermission(caller('platform_admin'), 'admin:keys', 'org_b')).not.toThrow();
    expect(() => requirePermission(caller('developer'), 'admin:keys', 'org_a')).toThrow(/admin:keys/);
  });

  it('lets a creator grant only what it holds', () => {
    expect(ungrantablePermission(caller('admin'), { role: 'developer', scopes: null })).toBeNull();
    expect(ungrantablePermission(caller('admin'), { role: 'owner', scopes: null })).toBe('billing:read');
    const narrow = caller('admin', ['admin:keys']);
    expect(ungrantablePermission(narrow, { role: 'admin', scopes: ['admin:keys'] })).toBeNull();
    expect(ungrantablePermission(narrow, { role: 'viewer', scopes: null })).toBe('models:read');
  });

  it('is the table the README shows', () => {
    // why: the formatter pads the README's table, so rows are compared cell by cell.
    const cells = (line: string) => line.split('|').map((cell) => cell.trim());
    const rows = (table: string[]) => table.filter((line) => !/^\|[\s:|-]+\|$/.test(line)).map(cells);
    const expected = renderPermissionTable().split('\n');
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8').split('\n');
    const start = readme.findIndex((line) => cells(line)[1] === 'Permission');
    expect(start).toBeGreaterThan(0);
    const shown = readme.slice(start, start + expected.length);
    expect(rows(shown)).toEqual(rows(expected));
  });
});
