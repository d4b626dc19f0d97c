export { builtInTemplates, findBuiltInTemplate } from './built-in-templates.ts';
export {
  createTemplate,
  deleteTemplate,
  findTemplate,
  listTemplates,
  replaceTemplate,
  type StoredTemplate,
} from './template-repository.ts';
export { createTemplateResolver } from './template-resolver.ts';
export { swarmTemplateBodySchema, swarmTemplateSchema, templateNameSchema } from './template-schema.ts';
