/**
 * Who a statement runs as. Row-level security on every tenant table reads two settings of the
 * session (`kimi.organization_id`, `kimi.scope`), and the restricted role below has no BYPASSRLS,
 * so what a statement sees is decided by the database, not by the WHERE clause it was written with.
 *
 * - `owner`: the connection's own user, which owns the schema: migrations and operator tooling.
 *   Nothing inside the running platform uses it.
 * - `isolated`: the restricted role with no organisation: every tenant table looks empty. This is
 *   what the platform's services hold until they say whose data they work on.
 * - `organization`: the restricted role in one organisation's context: only its rows are visible,
 *   and a row written for another organisation is refused.
 * - `platform`: the restricted role across organisations, for the platform's own work that is not
 *   any one organisation's (authentication by key hash, batched metering, queue workers, platform
 *   administrators' cross-organisation reads). Each use names its reason.
 */
export type AccessScope =
  | { readonly kind: 'owner' }
  | { readonly kind: 'isolated' }
  | { readonly kind: 'organization'; readonly organizationId: string }
  | { readonly kind: 'platform'; readonly reason: string };

/** The role the platform runs as: NOLOGIN, no BYPASSRLS, created by migration 17. */
export const restrictedRoleName = 'kimi_platform';

export const ownerScope: AccessScope = { kind: 'owner' };
export const isolatedScope: AccessScope = { kind: 'isolated' };

export function organizationScope(organizationId: string): AccessScope {
  if (organizationId === '') throw new Error('An organisation scope needs an organisation id.');
  return { kind: 'organization', organizationId };
}

export function platformScope(reason: string): AccessScope {
  if (reason.trim() === '') throw new Error('A platform scope needs a reason.');
  return { kind: 'platform', reason };
}

/** The session settings a scope needs: the role (`none` = the connection's user) and the two policy inputs. */
export interface ScopeSettings {
  readonly role: string;
  readonly organizationId: string;
  readonly scope: '' | 'platform';
  /** Equal for scopes that need no change of the session between them. */
  readonly key: string;
}

const ownerSettings: ScopeSettings = { role: 'none', organizationId: '', scope: '', key: 'owner' };
const isolatedSettings: ScopeSettings = {
  role: restrictedRoleName,
  organizationId: '',
  scope: '',
  key: 'isolated',
};
const platformSettings: ScopeSettings = {
  role: restrictedRoleName,
  organizationId: '',
  scope: 'platform',
  key: 'platform',
};

export function settingsOf(scope: AccessScope): ScopeSettings {
  switch (scope.kind) {
    case 'owner':
      return ownerSettings;
    case 'isolated':
      return isolatedSettings;
    case 'platform':
      return platformSettings;
    case 'organization':
      return {
        role: restrictedRoleName,
        organizationId: scope.organizationId,
        scope: '',
        key: `organization:${scope.organizationId}`,
      };
  }
}

/**
 * One statement that puts a session (or, with `local`, the current transaction) into a scope.
 * why set_config rather than SET: it takes parameters, so an organisation id is never spliced into SQL.
 */
export function applyScopeStatement(local: boolean): string {
  const flag = local ? 'true' : 'false';
  return `SELECT set_config('role', $1, ${flag}), set_config('kimi.organization_id', $2, ${flag}), set_config('kimi.scope', $3, ${flag})`;
}

export function applyScopeParameters(settings: ScopeSettings): string[] {
  return [settings.role, settings.organizationId, settings.scope];
}

/** The SQLSTATE Postgres answers SET ROLE with when the role is missing or not granted. */
const missingRoleCodes = new Set(['22023', '42704', '42501']);

/** Explains a failed switch to the restricted role (not migrated yet, or not granted to the user). */
export function scopeSwitchProblem(code: string | undefined): string | undefined {
  if (code === undefined || !missingRoleCodes.has(code)) return undefined;
  return (
    `The platform runs its statements as the database role '${restrictedRoleName}', which is missing or not granted to the connecting user. ` +
    `Run the migrations (\`kimi migrate\`) as a user that may create roles, or have a DBA run: CREATE ROLE ${restrictedRoleName} NOLOGIN; GRANT ${restrictedRoleName} TO <the platform's user>.`
  );
}
