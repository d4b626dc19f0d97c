import type { Tokenizer } from '../../support/index.ts';
import { splitTextUnits, type TextUnit } from './text-units.ts';

/** How a document is cut into chunks. */
export interface ChunkingSettings {
  /** The most tokens a chunk may have (by the platform tokenizer, OpenAI's o200k_base). */
  maxTokens: number;
  /** Tokens of the previous chunk repeated at the start of the next one within a section. */
  overlapTokens: number;
}

export const defaultChunkingSettings: ChunkingSettings = { maxTokens: 400, overlapTokens: 60 };

/** A chunk of a document: `source.slice(start, end) === text`. */
export interface TextChunk {
  position: number;
  text: string;
  start: number;
  end: number;
  tokenCount: number;
  headings: readonly string[];
}

type Count = (start: number, end: number) => number;

/** A piece of a run of characters without whitespace, cut by length: chunked alone, never packed. */
interface BoundedUnit extends TextUnit {
  standalone?: boolean;
}

/**
 * Splits a unit longer than the bound at words. A word longer than `maxTokens` characters is cut
 * into pieces of `maxTokens` characters (a token spans at least one character, so each piece is
 * within the bound) without counting it: tokenizing one very long word costs quadratic time.
 */
function boundedPieces(unit: TextUnit, maxTokens: number, count: Count, source: string): BoundedUnit[] {
  const words = [...source.slice(unit.start, unit.end).matchAll(/\S+/g)];
  const hasHugeWord = words.some((word) => word[0].length > maxTokens);
  if (!hasHugeWord && count(unit.start, unit.end) <= maxTokens) return [unit];
  const pieces: BoundedUnit[] = [];
  const push = (start: number, end: number, standalone: boolean) => {
    const boundary = pieces.length === 0 ? unit.boundary : 'sentence';
    pieces.push({ ...unit, start, end, boundary, ...(standalone ? { standalone } : {}) });
  };
  let start = -1;
  let end = -1;
  for (const word of words) {
    const wordStart = unit.start + (word.index ?? 0);
    const wordEnd = wordStart + word[0].length;
    if (word[0].length > maxTokens) {
      if (start >= 0) push(start, end, false);
      start = -1;
      for (let cut = wordStart; cut < wordEnd; cut += maxTokens)
        push(cut, Math.min(cut + maxTokens, wordEnd), true);
      continue;
    }
    if (start >= 0 && count(start, wordEnd) > maxTokens) {
      push(start, end, false);
      start = -1;
    }
    if (start < 0) start = wordStart;
    end = wordEnd;
  }
  if (start >= 0) push(start, end, false);
  return pieces;
}

/**
 * Cuts a text into chunks along its structure and within a token bound. A Markdown heading always
 * starts a new chunk (sections are never mixed); otherwise units (paragraph lines, sentences) are
 * packed while the chunk stays within `maxTokens`, and the next chunk of the same section starts
 * with the previous chunk's last units up to `overlapTokens`. Every chunk is a contiguous span of
 * the source with its character offsets, so an answer can cite it.
 */
export function chunkText(source: string, settings: ChunkingSettings, tokenizer: Tokenizer): TextChunk[] {
  const { maxTokens, overlapTokens } = settings;
  if (!Number.isInteger(maxTokens) || maxTokens < 1)
    throw new RangeError('maxTokens must be a positive integer');
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens >= maxTokens) {
    throw new RangeError('overlapTokens must be an integer from 0 to maxTokens - 1');
  }
  const count: Count = (start, end) => tokenizer.countText(source.slice(start, end));
  const units = splitTextUnits(source).flatMap((unit) => boundedPieces(unit, maxTokens, count, source));
  const chunks: TextChunk[] = [];
  let current: BoundedUnit[] = [];

  const emit = () => {
    const first = current[0]!;
    const last = current.at(-1)!;
    chunks.push({
      position: chunks.length,
      text: source.slice(first.start, last.end),
      start: first.start,
      end: last.end,
      tokenCount: count(first.start, last.end),
      headings: last.headings,
    });
  };

  /** The longest strict suffix of the chunk within the overlap that still leaves room for `next`. */
  const overlapBefore = (next: TextUnit): TextUnit[] => {
    let from = current.length - 1;
    let tail: TextUnit[] = [];
    while (from >= 1) {
      const start = current[from]!.start;
      if (count(start, current.at(-1)!.end) > overlapTokens || count(start, next.end) > maxTokens) break;
      tail = current.slice(from);
      from -= 1;
    }
    return tail;
  };

  for (const unit of units) {
    if (current.length > 0) {
      if (unit.boundary === 'heading' || unit.standalone || current.at(-1)!.standalone) {
        emit();
        current = [];
      } else if (count(current[0]!.start, unit.end) > maxTokens) {
        emit();
        current = overlapBefore(unit);
      }
    }
    current.push(unit);
  }
  if (current.length > 0) emit();
  return chunks;
}
