import { PlatformError } from '../errors/index.ts';

function userError(code: string, status: number, message: string, param: string | null, hint: string) {
  return new PlatformError({
    code,
    status,
    message,
    param,
    hint,
    category: 'user',
    type: 'invalid_request_error',
  });
}

/** Coded errors of people, memberships, teams and invitations (the caller's to fix: 4xx naming the field). */
export const identityErrors = {
  invitationInvalid(): PlatformError {
    return userError(
      'INVITATION_INVALID',
      404,
      'This invitation token is not valid: it was never issued, was revoked, or was already used.',
      'token',
      'Ask an admin of the organization for a new invitation.',
    );
  },
  invitationExpired(expiredAt: Date): PlatformError {
    return userError(
      'INVITATION_EXPIRED',
      410,
      `This invitation expired at ${expiredAt.toISOString()}.`,
      'token',
      'Ask an admin of the organization for a new invitation.',
    );
  },
  alreadyMember(email: string): PlatformError {
    return userError(
      'ALREADY_MEMBER',
      409,
      `'${email}' is already a member of this organization.`,
      'email',
      "Change the member's role with PATCH …/members/{userId} instead.",
    );
  },
  lastOwner(): PlatformError {
    return userError(
      'LAST_OWNER',
      409,
      'This would leave the organization without an owner.',
      'role',
      'Make another member an owner first.',
    );
  },
  teamNameTaken(name: string): PlatformError {
    return userError(
      'ALREADY_EXISTS',
      409,
      `There is already a team named '${name}'.`,
      'name',
      'Choose another name.',
    );
  },
  notMember(userId: string): PlatformError {
    return userError(
      'NOT_FOUND',
      404,
      `The user '${userId}' is not a member of this organization.`,
      'userId',
      'List the members with GET …/members.',
    );
  },
};
