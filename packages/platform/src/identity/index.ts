export { effectivePermissions, hasPermission, requirePermission, ungrantablePermission } from './access.ts';
export { type IdentityConfig, identityConfigSchema } from './identity-config-schema.ts';
export { identityErrors } from './identity-errors.ts';
export {
  createInvitation,
  hashInvitationToken,
  type Invitation,
  listInvitations,
  lockInvitationByToken,
  markInvitationAccepted,
  revokeInvitation,
} from './invitation-repository.ts';
export {
  addMembership,
  findMember,
  listMembers,
  lockOwners,
  type Member,
  removeMembership,
  setMembershipRole,
  touchMemberKeys,
  touchPeopleKeys,
} from './membership-repository.ts';
export { renderPermissionTable } from './permission-table.ts';
export {
  isPermission,
  type Permission,
  permissionDescriptions,
  permissions,
  rolePermissions,
} from './permissions.ts';
export { createSessionMembershipDirectory } from './session-membership-directory.ts';
export { createSignInDirectory, type SignInDirectoryOptions } from './sign-in-directory.ts';
export {
  addTeamMember,
  createTeam,
  deleteTeam,
  findTeam,
  listTeams,
  removeTeamMember,
  type Team,
  updateTeam,
} from './team-repository.ts';
export {
  findLinkedIdentity,
  type LinkedIdentity,
  linkIdentity,
  listLinkedIdentities,
  recordIdentitySignIn,
} from './user-identity-repository.ts';
export { findOrCreateUser, findUser, findUserByEmail, type User } from './user-repository.ts';
