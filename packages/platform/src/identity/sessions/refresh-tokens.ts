import { createHash, randomBytes } from 'node:crypto';
import type { RandomBytes } from '../sso/index.ts';

const prefix = 'kimi_rt';
const organizationIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A new refresh token: `kimi_rt.<organisation id>.<256 random bits>`. The organisation is in the
 * clear so the lookup can run in that organisation's row-level-security context; the random part
 * is the secret. Only the token's hash is stored.
 */
export function newRefreshToken(organizationId: string, random: RandomBytes = randomBytes): string {
  if (!organizationIdPattern.test(organizationId))
    throw new Error('An organisation id has no such characters.');
  return `${prefix}.${organizationId}.${Buffer.from(random(32)).toString('base64url')}`;
}

/** The organisation a refresh token belongs to, or null when the text is not one of ours. */
export function organizationOfRefreshToken(token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== prefix) return null;
  const [, organizationId = '', secret = ''] = parts;
  if (!organizationIdPattern.test(organizationId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  return organizationId;
}

/** Refresh tokens are 256 random bits, so one SHA-256 stores them safely (no slow hash needed). */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
