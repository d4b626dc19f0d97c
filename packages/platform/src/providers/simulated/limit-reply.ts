import type { FinishReason } from '../../model/index.ts';
import type { Tokenizer } from '../../support/index.ts';

/** A reply text after stop sequences and the token limit were applied. */
export interface LimitedText {
  text: string;
  finishReason: FinishReason;
}

/**
 * Cuts the text before the earliest stop sequence, then to at most `maximumTokens` tokens,
 * as a real model stops at whichever comes first.
 */
export function limitReply(
  text: string,
  stop: readonly string[] | undefined,
  maximumTokens: number,
  tokenizer: Tokenizer,
): LimitedText {
  let cut = text;
  for (const sequence of stop ?? []) {
    if (sequence.length === 0) continue;
    const position = cut.indexOf(sequence);
    if (position >= 0) cut = cut.slice(0, position);
  }
  if (tokenizer.countText(cut) <= maximumTokens) return { text: cut, finishReason: 'stop' };
  return { text: truncateToTokens(cut, maximumTokens, tokenizer), finishReason: 'length' };
}

/** The longest prefix within the limit, ending at a word boundary where one fits. */
function truncateToTokens(text: string, maximumTokens: number, tokenizer: Tokenizer): string {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const wordPrefix = (count: number) => words.slice(0, count).join('').trimEnd();
  const wordCount = largestFitting(
    words.length,
    (count) => tokenizer.countText(wordPrefix(count)) <= maximumTokens,
  );
  if (wordCount > 0) return wordPrefix(wordCount);
  const characters = [...text];
  const characterCount = largestFitting(characters.length, (count) => {
    return tokenizer.countText(characters.slice(0, count).join('')) <= maximumTokens;
  });
  return characters.slice(0, characterCount).join('');
}

/** Binary search for the largest count in [0, upper] that fits; token counts grow with length. */
function largestFitting(upper: number, fits: (count: number) => boolean): number {
  let low = 0;
  let high = upper;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}
