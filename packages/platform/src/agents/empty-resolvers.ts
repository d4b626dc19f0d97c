import { errors } from '../errors/index.ts';
import type { TemplateResolver, ToolResolver } from './tool-contract.ts';

/** Used until a tools module is wired in: every tool name is unknown. */
export const noTools: ToolResolver = {
  async resolve(_organizationId, names) {
    if (names.length === 0) return [];
    throw errors.invalidRequest('tools', `There is no tool named '${names[0]}'.`);
  },
};

/** Used until a templates module is wired in: no template exists. */
export const noTemplates: TemplateResolver = {
  async resolve() {
    return null;
  },
};
