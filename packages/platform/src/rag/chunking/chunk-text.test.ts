import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer, type Tokenizer } from '../../support/index.ts';
import { chunkText } from './chunk-text.ts';
import { splitTextUnits } from './text-units.ts';

let tokenizer: Tokenizer;

beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

const guide = `# Installation

Download the installer. Run it as an administrator.

## Linux

Use the package manager:
- apt install kimi
- dnf install kimi

# Usage

Start the server with kimi serve. Open the dashboard in a browser!`;

function expectSpans(source: string, chunks: ReturnType<typeof chunkText>, maxTokens: number) {
  for (const chunk of chunks) {
    expect(source.slice(chunk.start, chunk.end)).toBe(chunk.text);
    expect(chunk.tokenCount).toBe(tokenizer.countText(chunk.text));
    expect(chunk.tokenCount).toBeLessThanOrEqual(maxTokens);
  }
  expect(chunks.map((chunk) => chunk.position)).toEqual(chunks.map((_chunk, index) => index));
}

describe('splitTextUnits', () => {
  it('splits headings, paragraphs, lines and sentences with offsets into the source', () => {
    const units = splitTextUnits(guide);
    const texts = units.map((unit) => guide.slice(unit.start, unit.end));
    expect(texts).toEqual([
      '# Installation',
      'Download the installer.',
      'Run it as an administrator.',
      '## Linux',
      'Use the package manager:',
      '- apt install kimi',
      '- dnf install kimi',
      '# Usage',
      'Start the server with kimi serve.',
      'Open the dashboard in a browser!',
    ]);
    expect(units.map((unit) => unit.boundary)).toEqual([
      'heading',
      'paragraph',
      'sentence',
      'heading',
      'paragraph',
      'line',
      'line',
      'heading',
      'paragraph',
      'sentence',
    ]);
    expect(units[5]!.headings).toEqual(['Installation', 'Linux']);
    expect(units[8]!.headings).toEqual(['Usage']);
  });

  it('keeps fenced code lines whole and never reads them as headings', () => {
    const source = 'Intro text.\n\n```sh\n# not a heading. Still code.\necho hi\n```\nAfter.';
    const texts = splitTextUnits(source).map((unit) => source.slice(unit.start, unit.end));
    expect(texts).toEqual([
      'Intro text.',
      '```sh',
      '# not a heading. Still code.',
      'echo hi',
      '```',
      'After.',
    ]);
    expect(splitTextUnits(source).every((unit) => unit.headings.length === 0)).toBe(true);
  });

  it('handles Windows line endings and empty text', () => {
    const source = 'One.\r\n\r\nTwo.';
    expect(splitTextUnits(source).map((unit) => source.slice(unit.start, unit.end))).toEqual([
      'One.',
      'Two.',
    ]);
    expect(splitTextUnits('')).toEqual([]);
    expect(splitTextUnits('  \n\n ')).toEqual([]);
  });
});

describe('chunkText', () => {
  it('starts a chunk at every heading and keeps a small section whole', () => {
    const chunks = chunkText(guide, { maxTokens: 200, overlapTokens: 0 }, tokenizer);
    expect(chunks.map((chunk) => chunk.text.split('\n')[0])).toEqual([
      '# Installation',
      '## Linux',
      '# Usage',
    ]);
    expect(chunks[1]!.headings).toEqual(['Installation', 'Linux']);
    expect(chunks[1]!.text).toBe(
      '## Linux\n\nUse the package manager:\n- apt install kimi\n- dnf install kimi',
    );
    expectSpans(guide, chunks, 200);
  });

  it('packs sentences within the token bound and overlaps consecutive chunks of a section', () => {
    const sentences = Array.from(
      { length: 40 },
      (_unused, index) => `Sentence number ${index} talks about topic ${index}.`,
    );
    const source = sentences.join(' ');
    const chunks = chunkText(source, { maxTokens: 50, overlapTokens: 12 }, tokenizer);
    expect(chunks.length).toBeGreaterThan(5);
    expectSpans(source, chunks, 50);
    for (let index = 1; index < chunks.length; index += 1) {
      const previous = chunks[index - 1]!;
      const chunk = chunks[index]!;
      // The next chunk begins inside the previous one (overlap) and still moves forward.
      expect(chunk.start).toBeLessThan(previous.end);
      expect(chunk.start).toBeGreaterThan(previous.start);
      expect(tokenizer.countText(source.slice(chunk.start, previous.end))).toBeLessThanOrEqual(12);
    }
    expect(chunks.at(-1)!.end).toBe(source.length);
    const covered = chunks.flatMap((chunk) => sentences.filter((sentence) => chunk.text.includes(sentence)));
    expect(new Set(covered).size).toBe(sentences.length);
  });

  it('without overlap, chunks tile the text in order', () => {
    const source = Array.from({ length: 30 }, (_unused, index) => `Paragraph ${index} is short.`).join(
      '\n\n',
    );
    const chunks = chunkText(source, { maxTokens: 20, overlapTokens: 0 }, tokenizer);
    expectSpans(source, chunks, 20);
    for (let index = 1; index < chunks.length; index += 1) {
      expect(chunks[index]!.start).toBeGreaterThan(chunks[index - 1]!.end);
    }
  });

  it('splits a sentence longer than the bound at words, and a huge word at characters', () => {
    const long = `${Array.from({ length: 200 }, (_unused, index) => `word${index}`).join(' ')}.`;
    const chunks = chunkText(long, { maxTokens: 30, overlapTokens: 0 }, tokenizer);
    expectSpans(long, chunks, 30);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.every((chunk) => /^word\d+/.test(chunk.text))).toBe(true);
    const word = 'x'.repeat(5000);
    const pieces = chunkText(word, { maxTokens: 16, overlapTokens: 0 }, tokenizer);
    expectSpans(word, pieces, 16);
    expect(pieces.map((piece) => piece.text).join('')).toBe(word);
  });

  it('cuts a very long word quickly (its tokenization would be quadratic)', () => {
    const source = `Intro words here. ${'y'.repeat(200_000)} and an ending.`;
    const started = Date.now();
    const chunks = chunkText(source, { maxTokens: 400, overlapTokens: 60 }, tokenizer);
    expect(Date.now() - started).toBeLessThan(5000);
    expectSpans(source, chunks, 400);
    expect(chunks[0]!.text).toBe('Intro words here.');
    expect(chunks.at(-1)!.text).toBe('and an ending.');
  });

  it('returns no chunks for blank text and refuses impossible settings', () => {
    expect(chunkText(' \n ', { maxTokens: 10, overlapTokens: 0 }, tokenizer)).toEqual([]);
    expect(() => chunkText('text', { maxTokens: 10, overlapTokens: 10 }, tokenizer)).toThrow(RangeError);
    expect(() => chunkText('text', { maxTokens: 0, overlapTokens: 0 }, tokenizer)).toThrow(RangeError);
  });
});
