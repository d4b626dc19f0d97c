import { describe, expect, it } from 'vitest';
import { groupsOf, identityOf, readClaim, roleForGroups } from './claims-mapping.ts';
import { highestRole } from './membership-roles.ts';

describe('claims to identity and role', () => {
  it('reads a claim by its exact name first, then by a dotted path', () => {
    const payload = {
      'https://example.com/roles': ['a'],
      realm_access: { roles: ['b'] },
      'realm_access.roles': undefined,
    };
    expect(readClaim(payload, 'https://example.com/roles')).toEqual(['a']);
    expect(readClaim({ realm_access: { roles: ['b'] } }, 'realm_access.roles')).toEqual(['b']);
    expect(readClaim({ realm_access: null }, 'realm_access.roles')).toBeUndefined();
    expect(readClaim({}, '__proto__.polluted')).toBeUndefined();
  });

  it('reads groups as strings from an array or a single value, and none when absent', () => {
    expect(groupsOf({ groups: ['a', 7, '', null, 'b'] }, 'groups')).toEqual(['a', '7', 'b']);
    expect(groupsOf({ groups: 'admins' }, 'groups')).toEqual(['admins']);
    expect(groupsOf({}, 'groups')).toEqual([]);
  });

  it("refuses a groups claim the provider moved out of the token (Entra's group overage)", () => {
    const overage = {
      _claim_names: { groups: 'src1' },
      _claim_sources: { src1: { endpoint: 'https://graph' } },
    };
    expect(() => groupsOf(overage, 'groups')).toThrow(
      expect.objectContaining({ code: 'SSO_GROUPS_NOT_INLINE' }),
    );
  });

  it('maps to the most privileged match, else the default role, else null', () => {
    const mapping = {
      engineers: 'developer',
      admins: 'admin',
      money: 'billing',
      everyone: 'viewer',
    } as const;
    expect(roleForGroups(['everyone', 'money', 'engineers'], mapping, null)).toBe('developer');
    expect(roleForGroups(['admins', 'engineers'], mapping, null)).toBe('admin');
    expect(roleForGroups(['everyone', 'money'], mapping, null)).toBe('billing');
    expect(roleForGroups(['Engineers'], mapping, 'viewer')).toBe('viewer');
    expect(roleForGroups(['toString', 'constructor'], mapping, null)).toBeNull();
    expect(highestRole(['viewer', 'owner', 'admin'])).toBe('owner');
  });

  it('reads email with the configured claim, and keeps email_verified unknown when not sent', () => {
    const identity = identityOf(
      {
        iss: 'https://issuer',
        sub: 'subject-1',
        preferred_username: 'ada@example.com',
        name: 'Ada',
        roles: ['r'],
      },
      { groupsClaim: 'roles', emailClaim: 'preferred_username' },
    );
    expect(identity).toEqual({
      issuer: 'https://issuer',
      subject: 'subject-1',
      email: 'ada@example.com',
      emailVerified: null,
      name: 'Ada',
      groups: ['r'],
    });
  });
});
