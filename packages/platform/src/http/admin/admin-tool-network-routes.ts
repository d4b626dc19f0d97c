import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { NetworkAllowlistServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

/** Each entry's meaning (host, address or CIDR network) is the service's rule. */
const putAllowlistSchema = z.strictObject({
  entries: z
    .array(z.string().trim().min(1).max(253))
    .max(256)
    .describe('Hosts, addresses or CIDR networks; the list replaces the one before (empty: none).'),
});

const allowlistSchema = z
  .object({
    object: z.literal('tool_network_allowlist'),
    organization_id: z.string(),
    entries: z.array(z.string()),
  })
  .meta({
    id: 'ToolNetworkAllowlist',
    description:
      "The non-public destinations (hosts, addresses, CIDR networks) an organisation's tools may reach.",
  });
const allowlistExample = {
  object: 'tool_network_allowlist',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  entries: ['intranet.acme.internal', '10.20.0.0/16'],
} satisfies z.output<typeof allowlistSchema>;
const tag = 'Admin: tools';

/**
 * The non-public destinations an organisation's tools may reach: organisation admins read it, only
 * the platform admin sets it.
 */
export function registerAdminToolNetworkRoutes(
  app: FastifyInstance,
  allowlist: NetworkAllowlistServices,
): void {
  const path = '/v1/admin/organizations/:organizationId/tool-network-allowlist';
  const envelope = (organizationId: string, entries: string[]): z.output<typeof allowlistSchema> => ({
    object: 'tool_network_allowlist',
    organization_id: organizationId,
    entries,
  });

  app.get(
    path,
    requires('admin:organization', {
      operationId: 'getToolNetworkAllowlist',
      summary: "Get the organisation's tool network allowlist",
      tag,
      params: organizationParamsSchema,
      responses: {
        200: { description: 'The allowlist.', schema: allowlistSchema, example: allowlistExample },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return envelope(organizationId, await allowlist.get(callerOf(request), organizationId));
    },
  );

  app.put(
    path,
    requires('platform:network', {
      operationId: 'putToolNetworkAllowlist',
      summary: "Replace the organisation's tool network allowlist (platform admin only)",
      tag,
      params: organizationParamsSchema,
      body: putAllowlistSchema,
      bodyExample: { entries: allowlistExample.entries },
      responses: {
        200: { description: 'The allowlist as stored.', schema: allowlistSchema, example: allowlistExample },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(putAllowlistSchema, request.body);
      return envelope(organizationId, await allowlist.put(callerOf(request), organizationId, body.entries));
    },
  );
}
