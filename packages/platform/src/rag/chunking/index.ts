export {
  type ChunkingSettings,
  chunkText,
  defaultChunkingSettings,
  type TextChunk,
} from './chunk-text.ts';
export { splitTextUnits, type TextUnit, type UnitBoundary } from './text-units.ts';
