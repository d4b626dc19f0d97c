import type { ConfigFile } from '../../config/index.ts';
import type { ChatGateway, EmbeddingGateway, RoutingRuntime, UsageMeter } from '../../gateway/index.ts';
import type { PriceTable, UsageLedger } from '../../metering/index.ts';
import type { Provider } from '../../providers/spec/index.ts';
import type { ModelCatalog } from '../../routing/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { KeyValueStore } from '../../storage/kv/index.ts';
import type { Clock, SecretBox } from '../../support/index.ts';
import type { Metrics } from '../../telemetry/index.ts';
import type { KeyAuthenticator, ProviderCredentialStore } from '../../tenancy/index.ts';

/** What route modules receive: the composed services, never raw process state. */
export interface RouteContext {
  config: ConfigFile;
  database: Database;
  keyValueStore: KeyValueStore;
  catalog: ModelCatalog;
  prices: PriceTable;
  authenticator: KeyAuthenticator;
  chat: ChatGateway;
  embeddings: EmbeddingGateway;
  meter: UsageMeter;
  /** Routing and its resilience state (breakers, statistics), for the health and explain endpoints. */
  routing: RoutingRuntime;
  providerCredentials: ProviderCredentialStore;
  providers: readonly Provider[];
  secretBox: SecretBox | null;
  ledger: UsageLedger;
  metrics: Metrics;
  clock: Clock;
  /** Seconds since the epoch when the app was built (the `created` of model objects). */
  startedAtSeconds: number;
}
