export {
  type CatalogEntry,
  createModelCatalog,
  type ModelCatalog,
  type ResolvedModel,
} from './model-catalog.ts';
