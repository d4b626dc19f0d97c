/**
 * platform_admin: manages every organisation (the bootstrap key). admin: manages its own
 * organisation's keys. member: calls the model API only.
 */
export const apiKeyRoles = ['platform_admin', 'admin', 'member'] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];

/** The authenticated caller, taken from the key; repositories read the organisation only from here. */
export interface AuthContext {
  organizationId: string;
  apiKeyId: string;
  keyName: string;
  role: ApiKeyRole;
  /** Null means every model; otherwise public ids or aliases, `provider/*` allowed. */
  allowedModels: readonly string[] | null;
  /** Epoch ms after which the key is refused, or null. */
  expiresAt: number | null;
  /** The organisation's plan (from its metadata until plans are first-class), for routing policies. */
  plan: string | null;
}

export function isAdministrator(context: AuthContext): boolean {
  return context.role === 'admin' || context.role === 'platform_admin';
}
