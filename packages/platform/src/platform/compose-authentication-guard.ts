import type { ConfigFile } from '../config/index.ts';
import { type AuditLog, systemActor } from '../identity/audit/index.ts';
import type { Database } from '../storage/db/index.ts';
import type { KeyValueStore } from '../storage/kv/index.ts';
import type { Clock } from '../support/index.ts';
import type { Logger } from '../telemetry/index.ts';
import { type AuthenticationGuard, createAuthenticationGuard } from '../tenancy/index.ts';

export interface AuthenticationGuardParts {
  keyValueStore: KeyValueStore;
  clock: Clock;
  database: Database;
  audit: AuditLog;
  logger: Logger;
  config: () => ConfigFile;
}

/**
 * The guard that refuses addresses and key prefixes failing authentication too often, with each
 * refusal logged and audited (`authentication.refused`) without the refusal waiting on the write.
 */
export function composeAuthenticationGuard(parts: AuthenticationGuardParts): AuthenticationGuard {
  const { logger } = parts;
  return createAuthenticationGuard({
    keyValueStore: parts.keyValueStore,
    clock: parts.clock,
    limits: () => ({
      perAddress: parts.config().auth.failures_per_minute_per_address,
      perKeyPrefix: parts.config().auth.failures_per_minute_per_key_prefix,
    }),
    onBlocked: (blocked) => {
      logger.warn(blocked, 'refusing repeated failed authentications');
      // why not awaited: the refusal must not wait on the audit write; a failure is logged.
      parts.database
        .forPlatform('audit refused authentications')
        .transaction((transaction) =>
          parts.audit.record(transaction, {
            actor: systemActor,
            origin: blocked.kind === 'address' ? { clientAddress: blocked.value, requestId: null } : null,
            organizationId: null,
            action: 'authentication.refused',
            target: { type: blocked.kind, id: blocked.value },
            before: null,
            after: { failures: blocked.failures, window_seconds: 60 },
          }),
        )
        .catch((error) => logger.error({ err: error }, 'could not audit refused authentications'));
    },
  });
}
