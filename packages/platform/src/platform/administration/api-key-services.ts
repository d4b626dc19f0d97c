import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import {
  type ApiKey,
  type ApiKeyRole,
  type AuthContext,
  createApiKey,
  findApiKey,
  findOrganization,
  listApiKeys,
  revokeApiKey,
} from '../../tenancy/index.ts';
import { requireOrganizationAdministrator } from './access.ts';
import type { AdministrationDependencies, PageRequest } from './administration-dependencies.ts';
import { apiKeySummary } from './audit-summaries.ts';

export interface NewApiKeyRequest {
  name: string;
  role: ApiKeyRole;
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
}

export function createApiKeyServices(dependencies: AdministrationDependencies): ApiKeyServices {
  const { database, clock, audit } = dependencies;

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
      requireOrganizationAdministrator(caller, organizationId);
      if (request.role === 'platform_admin' && caller.role !== 'platform_admin') {
        throw errors.forbidden(
          'create platform admin keys',
          'Only the platform admin may create platform admin keys.',
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
        const created = await createApiKey(transaction, {
          organizationId,
          name: request.name,
          role: request.role,
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
      requireOrganizationAdministrator(caller, organizationId);
      return listApiKeys(database, organizationId, page);
    },
    async get(caller, organizationId, keyId) {
      requireOrganizationAdministrator(caller, organizationId);
      const apiKey = await findApiKey(database, organizationId, keyId);
      if (!apiKey) throw errors.notFound(`API key '${keyId}'`, 'keyId');
      return apiKey;
    },
    async revoke(caller, organizationId, keyId) {
      requireOrganizationAdministrator(caller, organizationId);
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
      await dependencies.authenticator.announceChange([revoked.secretHash]);
      return revoked.apiKey;
    },
  };
}
