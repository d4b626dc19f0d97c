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

/** Splits a unit longer than the bound at words, and a word longer than the bound at characters. */
function boundedPieces(unit: TextUnit, maxTokens: number, count: Count, source: string): TextUnit[] {
  if (count(unit.start, unit.end) <= maxTokens) return [unit];
  const pieces: TextUnit[] = [];
  let start = unit.start;
  let end = start;
  const push = (pieceEnd: number) => {
    pieces.push({
      ...unit,
      start,
      end: pieceEnd,
      boundary: pieces.length === 0 ? unit.boundary : 'sentence',
    });
  };
  const words = [...source.slice(unit.start, unit.end).matchAll(/\S+/g)];
  for (const word of words) {
    const wordStart = unit.start + (word.index ?? 0);
    const wordEnd = wordStart + word[0].length;
    if (end > start && count(start, wordEnd) > maxTokens) {
      push(end);
      start = wordStart;
    }
    if (end === start) start = wordStart;
    // A single word over the bound: cut it into the longest prefixes that fit.
    while (count(start, wordEnd) > maxTokens) {
      // Binary search for the longest prefix within the bound (at least one character, to progress).
      let low = start + 1;
      let high = wordEnd - 1;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (count(start, middle) <= maxTokens) low = middle;
        else high = middle - 1;
      }
      const cut = low;
      push(cut);
      start = cut;
    }
    end = wordEnd;
  }
  if (end > start) push(end);
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
  let current: TextUnit[] = [];

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
      if (unit.boundary === 'heading') {
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
