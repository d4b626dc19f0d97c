import { errors } from '../../errors/index.ts';
import { type AuditLog, attributionOf } from '../../identity/audit/index.ts';
import { requirePermission, touchPeopleKeys } from '../../identity/index.ts';
import {
  type CachedConnectionSource,
  deleteSsoConnection,
  findSsoConnectionSummary,
  issuerUrlProblem,
  type ParsedSsoConnection,
  parseSsoConnectionInput,
  type SsoConnectionSummary,
  saveSsoConnection,
  ssoConnectionInputSchema,
  ssoErrors,
} from '../../identity/sso/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock, SecretBox } from '../../support/index.ts';
import { type AuthContext, findOrganization } from '../../tenancy/index.ts';
import { signInErrors } from './sign-in-errors.ts';

/** An organisation's single sign-on connection, administered with `admin:sso`. */
export interface SsoConnectionServices {
  /** The connection without its secret (only the secret's last four characters); 404 when none. */
  get(caller: AuthContext, organizationId: string): Promise<SsoConnectionSummary>;
  /** Creates or replaces it from the administrator's input (`ssoConnectionInputSchema`). */
  put(
    caller: AuthContext,
    organizationId: string,
    input: unknown,
  ): Promise<{ connection: SsoConnectionSummary; created: boolean }>;
  delete(caller: AuthContext, organizationId: string): Promise<void>;
}

export interface SsoConnectionDependencies {
  database: Database;
  clock: Clock;
  audit: AuditLog;
  secretBox: SecretBox | null;
  /** The cache sign-ins and bearer checks read; forgotten on every change. */
  connections: CachedConnectionSource;
  /** Whether loopback issuers are allowed (`sso.allow_loopback_issuers`). */
  allowLoopbackIssuers: () => boolean;
  /** Tells every instance to forget the cached verdicts of these keys (`require_sso` decides them). */
  onPeopleKeysChanged: (secretHashes: string[]) => Promise<void>;
}

/** What the audit log keeps of a connection: its settings and the secret's suffix, never the secret. */
function connectionSummary(connection: SsoConnectionSummary) {
  return {
    issuer: connection.issuer,
    client_id: connection.clientId,
    client_secret_last_four: connection.clientSecretSuffix,
    redirect_uri: connection.redirectUri,
    scopes: [...connection.scopes],
    token_endpoint_auth_method: connection.tokenEndpointAuthMethod,
    groups_claim: connection.groupsClaim,
    email_claim: connection.emailClaim,
    role_mapping: { ...connection.roleMapping },
    default_role: connection.defaultRole,
    require_sso: connection.requireSso,
    bearer_audiences: [...connection.bearerAudiences],
  };
}

/** The input parsed, or a 400 naming the first offending field (surfaces may have parsed it already). */
function parsedInput(input: unknown): ParsedSsoConnection {
  const checked = ssoConnectionInputSchema.safeParse(input);
  if (checked.success) return parseSsoConnectionInput(checked.data);
  const issue = checked.error.issues[0];
  const param = issue?.path.map(String).join('.') || null;
  throw errors.invalidRequest(
    param,
    `Invalid SSO connection${param ? ` field '${param}'` : ''}: ${issue?.message}.`,
  );
}

export function createSsoConnectionServices(dependencies: SsoConnectionDependencies): SsoConnectionServices {
  const { audit, clock } = dependencies;
  return {
    async get(caller, organizationId) {
      requirePermission(caller, 'admin:sso', organizationId, 'read the SSO connection');
      const database = dependencies.database.forOrganization(organizationId);
      const connection = await findSsoConnectionSummary(database, organizationId);
      if (!connection) throw ssoErrors.notConfigured();
      return connection;
    },

    async put(caller, organizationId, input) {
      requirePermission(caller, 'admin:sso', organizationId, 'configure single sign-on');
      const database = dependencies.database.forOrganization(organizationId);
      const parsed = parsedInput(input);
      const issuer = parsed.settings.issuer;
      const problem = issuerUrlProblem(issuer, { allowLoopback: dependencies.allowLoopbackIssuers() });
      if (problem) throw ssoErrors.issuerNotAllowed('issuer', issuer, problem);
      const secretBox = dependencies.secretBox;
      if (!secretBox) throw signInErrors.unavailable();
      const saved = await database.transaction(async (transaction) => {
        const organization = await findOrganization(transaction, organizationId);
        if (!organization || organization.disabledAt) {
          throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
        }
        const before = await findSsoConnectionSummary(transaction, organizationId);
        const connection = await saveSsoConnection(
          transaction,
          secretBox,
          organizationId,
          parsed,
          new Date(clock.now()),
        );
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'sso_connection.set',
          target: { type: 'sso_connection', id: organizationId },
          before: before ? connectionSummary(before) : null,
          after: {
            ...connectionSummary(connection),
            client_secret_changed: parsed.clientSecret !== null,
          },
        });
        const requirementChanged = (before?.requireSso ?? false) !== connection.requireSso;
        const keys = requirementChanged ? await touchPeopleKeys(transaction, organizationId) : [];
        return { result: { connection, created: before === null }, keys };
      });
      dependencies.connections.invalidate();
      if (saved.keys.length > 0) await dependencies.onPeopleKeysChanged(saved.keys);
      return saved.result;
    },

    async delete(caller, organizationId) {
      requirePermission(caller, 'admin:sso', organizationId, 'remove the SSO connection');
      const database = dependencies.database.forOrganization(organizationId);
      const deleted = await database.transaction(async (transaction) => {
        const before = await findSsoConnectionSummary(transaction, organizationId);
        if (!before || !(await deleteSsoConnection(transaction, organizationId))) return null;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'sso_connection.deleted',
          target: { type: 'sso_connection', id: organizationId },
          before: connectionSummary(before),
          after: null,
        });
        return { keys: before.requireSso ? await touchPeopleKeys(transaction, organizationId) : [] };
      });
      if (!deleted) throw ssoErrors.notConfigured();
      dependencies.connections.invalidate();
      if (deleted.keys.length > 0) await dependencies.onPeopleKeysChanged(deleted.keys);
    },
  };
}
