import type { AuditLog } from '../../identity/audit/index.ts';
import type { SessionService } from '../../identity/sessions/index.ts';
import type { Provider } from '../../model/index.ts';
import type { ModelCatalog } from '../../routing/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock, SecretBox } from '../../support/index.ts';
import type { KeyAuthenticator, ProviderCredentialStore } from '../../tenancy/index.ts';

/** What the administration services work on. */
export interface AdministrationDependencies {
  database: Database;
  clock: Clock;
  /** Every change writes its entry here, in the change's transaction. */
  audit: AuditLog;
  /** Told the secret hashes of keys that changed, so every instance drops them from its cache. */
  authenticator: Pick<KeyAuthenticator, 'announceChange'>;
  providerCredentials: Pick<ProviderCredentialStore, 'announceChange'>;
  /** The catalogue in force now (it changes on a config reload). */
  catalog: () => ModelCatalog;
  providers: () => readonly Provider[];
  secretBox: SecretBox | null;
  /** The plan new organisations get when their creator names none (`organizations.default_plan`). */
  defaultPlan: () => string | null;
  /** Browser sessions, to end a removed member's at once; null without a master key (none exist then). */
  sessions?: Pick<SessionService, 'revokeAllForUser'> | null;
  /** Why an organisation may not use a provider base URL (it leads to a non-public address); null when it may. */
  baseUrlProblem?: (url: string) => Promise<string | null>;
}

/** One page of a keyset-paginated list. */
export interface PageRequest {
  limit: number;
  after?: string;
}
