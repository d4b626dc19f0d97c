import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  allowlistEntryProblem,
  readNetworkAllowlist,
  writeNetworkAllowlist,
} from '../../agents/tools/index.ts';
import { errors } from '../../errors/index.ts';
import { requireOrganizationAdministrator, requirePlatformAdministrator } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { AgentToolRouteDependencies } from '../swarms/agent-tool-route-context.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

const putAllowlistSchema = z.strictObject({
  entries: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(253)
        .superRefine((entry, refinement) => {
          const problem = allowlistEntryProblem(entry);
          if (problem) refinement.addIssue({ code: 'custom', message: problem });
        }),
    )
    .max(256),
});

/**
 * The non-public destinations (hosts, addresses, CIDR networks) an organisation's tools may reach —
 * http_get, HTTP tools and MCP servers. Only the platform admin sets it: it opens the platform's own
 * network to that tenant. Organisation admins may read it.
 */
export function registerAdminToolNetworkRoutes(
  app: FastifyInstance,
  dependencies: AgentToolRouteDependencies,
): void {
  const path = '/v1/admin/organizations/:organizationId/tool-network-allowlist';

  app.get(path, async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requireOrganizationAdministrator(callerOf(request), organizationId);
    const entries = await readNetworkAllowlist(dependencies.database, organizationId);
    if (!entries) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    return { object: 'tool_network_allowlist', organization_id: organizationId, entries };
  });

  app.put(path, async (request) => {
    const { organizationId } = parseWith(organizationParamsSchema, request.params);
    requirePlatformAdministrator(callerOf(request), "set an organization's tool network allowlist");
    const body = parseWith(putAllowlistSchema, request.body);
    if (!(await writeNetworkAllowlist(dependencies.database, organizationId, body.entries))) {
      throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
    }
    return { object: 'tool_network_allowlist', organization_id: organizationId, entries: body.entries };
  });
}
