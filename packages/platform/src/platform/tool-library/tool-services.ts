import {
  argumentSchemaProblem,
  createHttpTool,
  deleteHttpTool,
  findHttpTool,
  type HttpToolRecord,
  isBuiltInToolName,
  newToolSecret,
  splitMcpToolName,
  type ToolListing,
  type ToolListingProblem,
} from '../../agents/tools/index.ts';
import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { httpToolSummary } from './audit-summaries.ts';
import { requireSecretBox, type ToolLibraryDependencies } from './tool-library-dependencies.ts';

export interface NewHttpTool {
  name: string;
  description: string;
  url: string;
  parameters: Record<string, unknown>;
  needsApproval: boolean;
}

/** One tool by name: an organisation's HTTP tool (with its stored record), or a built-in or MCP tool. */
export type ToolLookup = { kind: 'http'; record: HttpToolRecord } | { kind: 'listed'; listing: ToolListing };

/**
 * The caller's organisation's tools: built-ins, HTTP tools and MCP tools. Every key reads them;
 * an admin key registers and deletes HTTP tools.
 */
export interface ToolServices {
  list(caller: AuthContext): Promise<{ tools: ToolListing[]; problems: ToolListingProblem[] }>;
  get(caller: AuthContext, name: string): Promise<ToolLookup>;
  /** Registers an HTTP tool; its signing secret is returned this once. */
  create(caller: AuthContext, input: NewHttpTool): Promise<{ record: HttpToolRecord; secret: string }>;
  delete(caller: AuthContext, name: string): Promise<void>;
}

export function createToolServices(dependencies: ToolLibraryDependencies): ToolServices {
  const { toolkit, audit } = dependencies;
  const databaseOf = (caller: AuthContext) => dependencies.database.forOrganization(caller.organizationId);
  const missing = (name: string) => errors.notFound(`The tool '${name}'`, 'name');
  return {
    list: (caller) => toolkit.listTools(caller.organizationId),
    async get(caller, name) {
      if (!isBuiltInToolName(name) && !splitMcpToolName(name)) {
        const record = await findHttpTool(databaseOf(caller), caller.organizationId, name);
        if (!record) throw missing(name);
        return { kind: 'http', record };
      }
      const { tools } = await toolkit.listTools(caller.organizationId);
      const listing = tools.find((candidate) => candidate.definition.name === name);
      if (!listing) throw missing(name);
      return { kind: 'listed', listing };
    },
    async create(caller, input) {
      requirePermission(caller, 'tools:write', caller.organizationId);
      if (isBuiltInToolName(input.name)) {
        throw errors.invalidRequest(
          'name',
          `'${input.name}' is the name of a built-in tool.`,
          'Choose another name.',
        );
      }
      const schemaProblem = argumentSchemaProblem(input.parameters);
      if (schemaProblem) {
        throw errors.invalidRequest('parameters', `Invalid value for 'parameters': ${schemaProblem}.`);
      }
      const urlProblem = await toolkit.urlProblem(caller.organizationId, input.url);
      if (urlProblem) throw errors.invalidRequest('url', `Invalid value for 'url': ${urlProblem}.`);
      const secretBox = requireSecretBox(dependencies.secretBox, 'HTTP tools');
      const secret = newToolSecret();
      const record = await databaseOf(caller).transaction(async (transaction) => {
        const created = await createHttpTool(transaction, secretBox, {
          organizationId: caller.organizationId,
          ...input,
          secret,
        });
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: caller.organizationId,
          action: 'tool.created',
          target: { type: 'tool', id: created.name },
          before: null,
          after: httpToolSummary(created),
        });
        return created;
      });
      return { record, secret };
    },
    async delete(caller, name) {
      requirePermission(caller, 'tools:write', caller.organizationId);
      if (isBuiltInToolName(name)) {
        throw errors.invalidRequest('name', `'${name}' is a built-in tool and cannot be deleted.`);
      }
      await databaseOf(caller).transaction(async (transaction) => {
        const before = await findHttpTool(transaction, caller.organizationId, name);
        if (!before || !(await deleteHttpTool(transaction, caller.organizationId, name))) throw missing(name);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: caller.organizationId,
          action: 'tool.deleted',
          target: { type: 'tool', id: name },
          before: httpToolSummary(before),
          after: null,
        });
      });
    },
  };
}
