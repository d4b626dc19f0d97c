import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import {
  type Permission,
  requirePermission,
  rolePermissions,
  ungrantablePermission,
} from '../../identity/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import {
  type ApiKey,
  type ApiKeyRole,
  type AuthContext,
  createApiKey,
  findApiKey,
  findOrganization,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
} from '../../tenancy/index.ts';
import type { AdministrationDependencies, PageRequest } from './administration-dependencies.ts';
import { apiKeySummary } from './audit-summaries.ts';

export interface NewApiKeyRequest {
  name: string;
  role: ApiKeyRole;
  /** Narrows the role to these permissions; null grants all of the role's. */
  scopes?: readonly Permission[] | null;
  /** A team of the organisation the key belongs to. */
  teamId?: string | null;
  /** Model ids, aliases or `provider/*` patterns; null for every model. */
  allowedModels: readonly string[] | null;
  expiresAt: Date | null;
  metadata?: Record<string, unknown>;
}

export interface ApiKeyServices {
  /** Returns the key and its secret, which is shown this once and never stored. */
  create(
    caller: AuthContext,
    organizationId: string,
    request: NewApiKeyRequest,
  ): Promise<{ apiKey: ApiKey; secret: string }>;
  list(
    caller: AuthContext,
    organizationId: string,
    page: PageRequest & { includeRevoked: boolean },
  ): Promise<ApiKey[]>;
  get(caller: AuthContext, organizationId: string, keyId: string): Promise<ApiKey>;
  /** Revokes the key here and on every instance. */
  revoke(caller: AuthContext, organizationId: string, keyId: string): Promise<ApiKey>;
  /**
   * Issues a new secret (shown this once); the old one keeps working for `gracePeriodSeconds`
   * (0: it stops now), so callers can switch without an outage.
   */
  rotate(
    caller: AuthContext,
    organizationId: string,
    keyId: string,
    gracePeriodSeconds: number,
  ): Promise<{ apiKey: ApiKey; secret: string; previousSecretValidUntil: Date }>;
}

async function requireTeam(database: Queryable, organizationId: string, teamId: string): Promise<void> {
  const found = await database.query('SELECT 1 FROM teams WHERE organization_id = $1 AND id = $2', [
    organizationId,
    teamId,
  ]);
  if (found.rows.length === 0) throw errors.notFound(`Team '${teamId}'`, 'team_id');
}

export function createApiKeyServices(dependencies: AdministrationDependencies): ApiKeyServices {
  const { clock, audit } = dependencies;

  function checkAllowedModels(models: readonly string[]): void {
    models.forEach((model, index) => {
      if (model === '*' || model.endsWith('/*')) return;
      try {
        dependencies.catalog().resolve(model);
      } catch {
        throw errors.invalidRequest(
          `allowed_models[${index}]`,
          `The model '${model}' is not available.`,
          "Use ids or aliases from GET /v1/models, or a 'provider/*' pattern.",
        );
      }
    });
  }

  return {
    async create(caller, organizationId, request) {
      requirePermission(caller, 'admin:keys', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      if (request.role === 'platform_admin' && caller.role !== 'platform_admin') {
        throw errors.forbidden(
          'create platform admin keys',
          'Only the platform admin may create platform admin keys.',
        );
      }
      const scopes = request.scopes ? [...new Set(request.scopes)] : null;
      scopes?.forEach((scope, index) => {
        if (!rolePermissions[request.role].has(scope)) {
          throw errors.invalidRequest(
            `scopes[${index}]`,
            `The scope '${scope}' is not a permission of the role '${request.role}'.`,
            "Choose scopes from the role's permissions (see the README's role table), or a role that has it.",
          );
        }
      });
      const ungrantable = ungrantablePermission(caller, { role: request.role, scopes });
      if (ungrantable) {
        throw errors.forbidden(
          `grant '${ungrantable}'`,
          'A key can only be given permissions its creator holds: narrow its scopes or pick a lesser role.',
        );
      }
      if (request.expiresAt && request.expiresAt.getTime() <= clock.now()) {
        throw errors.invalidRequest('expires_at', "'expires_at' must be in the future.");
      }
      if (request.allowedModels) checkAllowedModels(request.allowedModels);
      return database.transaction(async (transaction) => {
        const organization = await findOrganization(transaction, organizationId);
        if (!organization) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
        if (organization.disabledAt) {
          throw errors.invalidRequest('organizationId', `Organization '${organizationId}' is disabled.`);
        }
        if (request.teamId) await requireTeam(transaction, organizationId, request.teamId);
        const created = await createApiKey(transaction, {
          organizationId,
          name: request.name,
          role: request.role,
          scopes,
          teamId: request.teamId ?? null,
          allowedModels: request.allowedModels ? [...request.allowedModels] : null,
          expiresAt: request.expiresAt,
          ...(request.metadata ? { metadata: request.metadata } : {}),
        });
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'api_key.created',
          target: { type: 'api_key', id: created.apiKey.id },
          before: null,
          after: apiKeySummary(created.apiKey),
        });
        return created;
      });
    },
    async list(caller, organizationId, page) {
      requirePermission(caller, 'admin:keys', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      return listApiKeys(database, organizationId, page);
    },
    async get(caller, organizationId, keyId) {
      requirePermission(caller, 'admin:keys', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const apiKey = await findApiKey(database, organizationId, keyId);
      if (!apiKey) throw errors.notFound(`API key '${keyId}'`, 'keyId');
      return apiKey;
    },
    async revoke(caller, organizationId, keyId) {
      requirePermission(caller, 'admin:keys', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const revoked = await database.transaction(async (transaction) => {
        const before = await findApiKey(transaction, organizationId, keyId);
        const outcome = await revokeApiKey(transaction, organizationId, keyId);
        if (!before || !outcome) return null;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'api_key.revoked',
          target: { type: 'api_key', id: keyId },
          before: { revoked_at: before.revokedAt },
          after: { revoked_at: outcome.apiKey.revokedAt },
        });
        return outcome;
      });
      if (!revoked) throw errors.notFound(`API key '${keyId}'`, 'keyId');
      await dependencies.authenticator.announceChange(revoked.secretHashes);
      return revoked.apiKey;
    },
    async rotate(caller, organizationId, keyId, gracePeriodSeconds) {
      requirePermission(caller, 'admin:keys', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const validUntil = new Date(clock.now() + gracePeriodSeconds * 1000);
      const rotated = await database.transaction(async (transaction) => {
        const outcome = await rotateApiKey(transaction, { organizationId, id: keyId, validUntil });
        if (!outcome) return null;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'api_key.rotated',
          target: { type: 'api_key', id: keyId },
          before: null,
          after: { display_prefix: outcome.apiKey.displayPrefix, previous_secret_valid_until: validUntil },
        });
        return outcome;
      });
      if (!rotated) throw errors.notFound(`API key '${keyId}'`, 'keyId');
      await dependencies.authenticator.announceChange([rotated.previousSecretHash]);
      return { apiKey: rotated.apiKey, secret: rotated.secret, previousSecretValidUntil: validUntil };
    },
  };
}
