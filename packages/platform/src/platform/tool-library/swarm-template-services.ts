import type { SwarmTemplate } from '../../agents/index.ts';
import {
  builtInTemplates,
  createTemplate,
  deleteTemplate,
  findBuiltInTemplate,
  findTemplate,
  listTemplates,
  replaceTemplate,
  type StoredTemplate,
} from '../../agents/templates/index.ts';
import {
  isBuiltInToolName,
  listHttpTools,
  listMcpServers,
  splitMcpToolName,
  toolErrors,
} from '../../agents/tools/index.ts';
import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { ToolLibraryDependencies } from './tool-library-dependencies.ts';

/** A template as the library lists it: a built-in, or one of the organisation's own with its dates. */
export type TemplateEntry =
  | { source: 'built-in'; template: SwarmTemplate }
  | { source: 'organization'; template: SwarmTemplate; stored: StoredTemplate };

/**
 * The agent skills library: the built-ins and the organisation's own templates; admins create,
 * replace and delete their own. An organisation template may not take a built-in's name (copy it
 * under a new name to customise it).
 */
export interface SwarmTemplateServices {
  list(caller: AuthContext): Promise<TemplateEntry[]>;
  /** The organisation's own template of that name, else the built-in. */
  get(caller: AuthContext, name: string): Promise<TemplateEntry>;
  create(caller: AuthContext, template: SwarmTemplate): Promise<StoredTemplate>;
  replace(caller: AuthContext, template: SwarmTemplate): Promise<StoredTemplate>;
  delete(caller: AuthContext, name: string): Promise<void>;
}

/**
 * Every tool a template names must exist when it is saved: a built-in, an HTTP tool of the
 * organisation, or `<server>__<tool>` of one of its MCP servers (the server is checked, not the
 * tool, so saving a template never waits on a remote server; runs check the tool itself).
 */
async function assertTemplateTools(database: Queryable, organizationId: string, template: SwarmTemplate) {
  const httpTools = new Set((await listHttpTools(database, organizationId)).map((tool) => tool.name));
  const servers = new Set((await listMcpServers(database, organizationId)).map((server) => server.name));
  template.agents.forEach((agent, agentIndex) => {
    agent.tools.forEach((tool, toolIndex) => {
      const split = splitMcpToolName(tool);
      const known = split ? servers.has(split.server) : isBuiltInToolName(tool) || httpTools.has(tool);
      if (!known) throw toolErrors.unknownTool(tool, `agents[${agentIndex}].tools[${toolIndex}]`);
    });
  });
}

function organizationEntry(stored: StoredTemplate): TemplateEntry {
  return { source: 'organization', template: stored.template, stored };
}

export function createSwarmTemplateServices(dependencies: ToolLibraryDependencies): SwarmTemplateServices {
  const { audit } = dependencies;
  const databaseOf = (caller: AuthContext) => dependencies.database.forOrganization(caller.organizationId);
  const missing = (name: string) => errors.notFound(`The template '${name}'`, 'name');
  const refuseBuiltIn = (name: string, verb: string) => {
    if (findBuiltInTemplate(name)) {
      throw errors.invalidRequest('name', `'${name}' is a built-in template and cannot be ${verb}.`);
    }
  };
  return {
    async list(caller) {
      const own = await listTemplates(databaseOf(caller), caller.organizationId);
      return [
        ...builtInTemplates.map((template): TemplateEntry => ({ source: 'built-in', template })),
        ...own.map(organizationEntry),
      ];
    },
    async get(caller, name) {
      const own = await findTemplate(databaseOf(caller), caller.organizationId, name);
      if (own) return organizationEntry(own);
      const builtIn = findBuiltInTemplate(name);
      if (!builtIn) throw missing(name);
      return { source: 'built-in', template: builtIn };
    },
    async create(caller, template) {
      requirePermission(caller, 'tools:write', caller.organizationId);
      if (findBuiltInTemplate(template.name)) {
        throw errors.invalidRequest(
          'name',
          `'${template.name}' is the name of a built-in template.`,
          'Choose another name; to customise a built-in, GET it and POST a copy under a new name.',
        );
      }
      await assertTemplateTools(databaseOf(caller), caller.organizationId, template);
      return databaseOf(caller).transaction(async (transaction) => {
        const stored = await createTemplate(transaction, caller.organizationId, template);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: caller.organizationId,
          action: 'swarm_template.created',
          target: { type: 'swarm_template', id: template.name },
          before: null,
          after: stored.template,
        });
        return stored;
      });
    },
    async replace(caller, template) {
      requirePermission(caller, 'tools:write', caller.organizationId);
      refuseBuiltIn(template.name, 'changed');
      await assertTemplateTools(databaseOf(caller), caller.organizationId, template);
      return databaseOf(caller).transaction(async (transaction) => {
        const before = await findTemplate(transaction, caller.organizationId, template.name);
        const stored = await replaceTemplate(transaction, caller.organizationId, template);
        if (!before || !stored) throw missing(template.name);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: caller.organizationId,
          action: 'swarm_template.replaced',
          target: { type: 'swarm_template', id: template.name },
          before: before.template,
          after: stored.template,
        });
        return stored;
      });
    },
    async delete(caller, name) {
      requirePermission(caller, 'tools:write', caller.organizationId);
      refuseBuiltIn(name, 'deleted');
      await databaseOf(caller).transaction(async (transaction) => {
        const before = await findTemplate(transaction, caller.organizationId, name);
        if (!before || !(await deleteTemplate(transaction, caller.organizationId, name))) throw missing(name);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: caller.organizationId,
          action: 'swarm_template.deleted',
          target: { type: 'swarm_template', id: name },
          before: before.template,
          after: null,
        });
      });
    },
  };
}
