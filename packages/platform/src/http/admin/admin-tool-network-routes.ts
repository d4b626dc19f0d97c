import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { NetworkAllowlistServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

/** Each entry's meaning (host, address or CIDR network) is the service's rule. */
const putAllowlistSchema = z.strictObject({
  entries: z.array(z.string().trim().min(1).max(253)).max(256),
});

/**
 * The non-public destinations an organisation's tools may reach: organisation admins read it, only
 * the platform admin sets it.
 */
export function registerAdminToolNetworkRoutes(
  app: FastifyInstance,
  allowlist: NetworkAllowlistServices,
): void {
  const path = '/v1/admin/organizations/:organizationId/tool-network-allowlist';
  const envelope = (organizationId: string, entries: string[]) => ({
    object: 'tool_network_allowlist',
    organization_id: organizationId,
    entries,
  });

  app.get(path, requires('admin:organization'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    return envelope(organizationId, await allowlist.get(callerOf(request), organizationId));
  });

  app.put(path, requires('platform:network'), async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    const body = parseWith(putAllowlistSchema, request.body);
    return envelope(organizationId, await allowlist.put(callerOf(request), organizationId, body.entries));
  });
}
