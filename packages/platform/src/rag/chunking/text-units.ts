/** What separates a unit from the one before it, strongest first. */
export type UnitBoundary = 'heading' | 'paragraph' | 'line' | 'sentence';

/** A span of the source text that chunking never splits unless it alone exceeds the token bound. */
export interface TextUnit {
  start: number;
  end: number;
  boundary: UnitBoundary;
  /** The Markdown headings in force, outermost first (a heading unit includes itself). */
  headings: readonly string[];
}

const headingPattern = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const fencePattern = /^ {0,3}(```|~~~)/;
const sentenceEndPattern = /[.!?]+["')\]]*(?=\s|$)/g;

/** Sentence spans of one line, as [start, end) pairs relative to the line, trimmed. */
function sentencesOf(line: string): [number, number][] {
  const spans: [number, number][] = [];
  let cursor = line.search(/\S/);
  if (cursor < 0) return spans;
  for (const match of line.matchAll(sentenceEndPattern)) {
    const end = (match.index ?? 0) + match[0].length;
    if (end <= cursor) continue;
    spans.push([cursor, end]);
    const next = line.slice(end).search(/\S/);
    if (next < 0) return spans;
    cursor = end + next;
  }
  spans.push([cursor, line.trimEnd().length]);
  return spans;
}

/**
 * Splits a text into units along its structure: Markdown headings (ATX `#` … `######`),
 * paragraphs (blank lines), lines, and sentences. Lines inside fenced code blocks are units of
 * their own and never headings. Offsets are character offsets into `source`.
 */
export function splitTextUnits(source: string): TextUnit[] {
  const units: TextUnit[] = [];
  let headings: string[] = [];
  const levels: number[] = [];
  let inFence = false;
  let pending: UnitBoundary = 'paragraph';
  let lineStart = 0;
  while (lineStart <= source.length) {
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? source.length : newline;
    const line = source.slice(lineStart, lineEnd).replace(/\r$/, '');
    const heading = inFence ? null : headingPattern.exec(line);
    if (fencePattern.test(line)) inFence = !inFence;
    if (line.trim() === '') {
      if (!inFence) pending = 'paragraph';
    } else if (heading) {
      const level = heading[1]!.length;
      while (levels.length > 0 && levels.at(-1)! >= level) {
        levels.pop();
        headings = headings.slice(0, -1);
      }
      levels.push(level);
      headings = [...headings, heading[2]!.trim()];
      const offset = line.search(/\S/);
      units.push({
        start: lineStart + offset,
        end: lineStart + line.trimEnd().length,
        boundary: 'heading',
        headings,
      });
      pending = 'paragraph';
    } else {
      const spans = inFence
        ? [[line.search(/\S/), line.trimEnd().length] as [number, number]]
        : sentencesOf(line);
      for (const [start, end] of spans) {
        units.push({ start: lineStart + start, end: lineStart + end, boundary: pending, headings });
        pending = 'sentence';
      }
      pending = 'line';
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return units;
}
