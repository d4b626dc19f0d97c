import { organizationRoles } from '../tenancy/index.ts';
import { permissionDescriptions, permissions, rolePermissions } from './permissions.ts';

/**
 * The permission matrix as a Markdown table (a row per permission, a column per organisation
 * role), as the README shows it. The platform admin holds every permission.
 */
export function renderPermissionTable(): string {
  const header = `| Permission | What it allows | ${organizationRoles.join(' | ')} |`;
  const rule = `|---|---|${organizationRoles.map(() => ':-:').join('|')}|`;
  const rows = permissions
    .filter((permission) => !permission.startsWith('platform:'))
    .map((permission) => {
      const marks = organizationRoles.map((role) => (rolePermissions[role].has(permission) ? '✓' : ''));
      return `| \`${permission}\` | ${permissionDescriptions[permission]} | ${marks.join(' | ')} |`;
    });
  return [header, rule, ...rows].join('\n');
}
