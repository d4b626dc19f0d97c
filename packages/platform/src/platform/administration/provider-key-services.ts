import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import {
  type AuthContext,
  deleteProviderKey,
  findOrganization,
  listProviderKeys,
  type ProviderKeySummary,
  putProviderKey,
} from '../../tenancy/index.ts';
import type { AdministrationDependencies } from './administration-dependencies.ts';
import { providerKeySummary } from './audit-summaries.ts';

export interface ProviderKeyServices {
  /** Seals and stores the organisation's key for a configured real provider (replacing one it had). */
  put(
    caller: AuthContext,
    organizationId: string,
    input: { provider: string; apiKey: string; baseUrl: string | null },
  ): Promise<ProviderKeySummary>;
  list(caller: AuthContext, organizationId: string): Promise<ProviderKeySummary[]>;
  delete(caller: AuthContext, organizationId: string, provider: string): Promise<void>;
}

export function createProviderKeyServices(dependencies: AdministrationDependencies): ProviderKeyServices {
  const { audit } = dependencies;
  const realProviders = () =>
    dependencies
      .providers()
      .filter((provider) => !provider.simulated)
      .map((provider) => provider.name);

  function requireKnownProvider(provider: string): void {
    const known = realProviders();
    if (known.includes(provider)) return;
    throw errors.invalidRequest(
      'provider',
      `'${provider}' is not a configured provider.`,
      known.length > 0
        ? `Use one of: ${known.join(', ')}.`
        : 'No real provider is configured; configure one in kimi.config.yaml or by its API key variable.',
    );
  }

  return {
    async put(caller, organizationId, input) {
      requirePermission(caller, 'admin:providers', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      requireKnownProvider(input.provider);
      const baseUrlProblem = input.baseUrl ? await dependencies.baseUrlProblem?.(input.baseUrl) : null;
      if (baseUrlProblem) {
        throw errors.invalidRequest(
          'base_url',
          `Invalid value for 'base_url': ${baseUrlProblem}.`,
          "Use the provider's public https endpoint; the platform does not call private or local addresses for an organization.",
        );
      }
      const secretBox = dependencies.secretBox;
      if (!secretBox) {
        throw errors.unavailable(
          'Provider keys cannot be stored: no master key is configured.',
          'Set KIMI_MASTER_KEY (32 bytes as hex or base64, e.g. `openssl rand -hex 32`) on every instance.',
        );
      }
      const summary = await database.transaction(async (transaction) => {
        if (!(await findOrganization(transaction, organizationId))) {
          throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
        }
        const before = (await listProviderKeys(transaction, organizationId)).find(
          (existing) => existing.provider === input.provider,
        );
        const stored = await putProviderKey(transaction, secretBox, { organizationId, ...input });
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'provider_key.set',
          target: { type: 'provider_key', id: input.provider },
          before: before ? providerKeySummary(before) : null,
          after: providerKeySummary(stored),
        });
        return stored;
      });
      await dependencies.providerCredentials.announceChange(organizationId);
      return summary;
    },
    async list(caller, organizationId) {
      requirePermission(caller, 'admin:providers', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      return listProviderKeys(database, organizationId);
    },
    async delete(caller, organizationId, provider) {
      requirePermission(caller, 'admin:providers', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const deleted = await database.transaction(async (transaction) => {
        const before = (await listProviderKeys(transaction, organizationId)).find(
          (existing) => existing.provider === provider,
        );
        if (!before || !(await deleteProviderKey(transaction, organizationId, provider))) return false;
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'provider_key.deleted',
          target: { type: 'provider_key', id: provider },
          before: providerKeySummary(before),
          after: null,
        });
        return true;
      });
      if (!deleted) {
        throw errors.notFound(`A '${provider}' key of organization '${organizationId}'`, 'provider');
      }
      await dependencies.providerCredentials.announceChange(organizationId);
    },
  };
}
