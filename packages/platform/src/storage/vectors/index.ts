export { ensureVectorColumn, type VectorSearchMode, vectorLiteral } from './vector-column.ts';
