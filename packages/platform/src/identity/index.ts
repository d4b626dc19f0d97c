export { effectivePermissions, hasPermission, requirePermission, ungrantablePermission } from './access.ts';
export { renderPermissionTable } from './permission-table.ts';
export {
  isPermission,
  type Permission,
  permissionDescriptions,
  permissions,
  rolePermissions,
} from './permissions.ts';
