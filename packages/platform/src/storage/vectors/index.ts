export {
  ensureVectorColumn,
  existingVectorColumn,
  type VectorSearchMode,
  vectorLiteral,
} from './vector-column.ts';
