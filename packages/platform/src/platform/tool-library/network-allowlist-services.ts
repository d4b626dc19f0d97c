import {
  allowlistEntryProblem,
  readNetworkAllowlist,
  writeNetworkAllowlist,
} from '../../agents/tools/index.ts';
import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { ToolLibraryDependencies } from './tool-library-dependencies.ts';

/**
 * The non-public destinations (hosts, addresses, CIDR networks) an organisation's tools may reach —
 * http_get, HTTP tools and MCP servers. Only the platform admin sets it: it opens the platform's own
 * network to that tenant. Organisation admins may read it.
 */
export interface NetworkAllowlistServices {
  get(caller: AuthContext, organizationId: string): Promise<string[]>;
  /** Replaces the list; each entry is checked and a bad one names its index. */
  put(caller: AuthContext, organizationId: string, entries: readonly string[]): Promise<string[]>;
}

export function createNetworkAllowlistServices(
  dependencies: Pick<ToolLibraryDependencies, 'database' | 'audit'>,
): NetworkAllowlistServices {
  const { audit } = dependencies;
  const missing = (organizationId: string) =>
    errors.notFound(`Organization '${organizationId}'`, 'organizationId');
  return {
    async get(caller, organizationId) {
      requirePermission(caller, 'admin:organization', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const entries = await readNetworkAllowlist(database, organizationId);
      if (!entries) throw missing(organizationId);
      return entries;
    },
    async put(caller, organizationId, entries) {
      requirePermission(
        caller,
        'platform:network',
        undefined,
        "set an organization's tool network allowlist",
      );
      const database = dependencies.database.forOrganization(organizationId);
      entries.forEach((entry, index) => {
        const problem = allowlistEntryProblem(entry);
        if (problem) {
          throw errors.invalidRequest(
            `entries[${index}]`,
            `Invalid value for 'entries[${index}]': ${problem}.`,
          );
        }
      });
      await database.transaction(async (transaction) => {
        const before = await readNetworkAllowlist(transaction, organizationId);
        if (!before || !(await writeNetworkAllowlist(transaction, organizationId, [...entries])))
          throw missing(organizationId);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'tool_network_allowlist.set',
          target: { type: 'organization', id: organizationId },
          before: { entries: before },
          after: { entries: [...entries] },
        });
      });
      return [...entries];
    },
  };
}
