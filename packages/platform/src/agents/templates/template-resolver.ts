import type { Queryable } from '../../storage/db/index.ts';
import type { TemplateResolver } from '../tool-contract.ts';
import { findBuiltInTemplate } from './built-in-templates.ts';
import { findTemplate } from './template-repository.ts';

/**
 * Finds a template by name: the organisation's own first, then the built-in library. New templates
 * may not take a built-in's name (the API refuses it), so an organisation's template shadows a
 * built-in only when a later release adds a built-in with a name the organisation already used —
 * then the organisation keeps getting its own.
 */
export function createTemplateResolver(database: Queryable): TemplateResolver {
  return {
    async resolve(organizationId, name) {
      const own = await findTemplate(database, organizationId, name);
      return own?.template ?? findBuiltInTemplate(name);
    },
  };
}
