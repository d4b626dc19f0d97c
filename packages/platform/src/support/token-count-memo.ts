/**
 * Remembers the token counts of recent long texts, so a system prompt, a tool list or a RAG context
 * that many requests repeat is encoded once instead of on every request. Bounded by the characters
 * it holds; the least recently used text is forgotten first.
 */
export interface TokenCountMemo {
  count(text: string): number;
}

export interface TokenCountMemoOptions {
  /** Texts shorter than this are encoded every time: hashing them would save little. */
  minimumLength: number;
  /** The most characters held (sum of the texts' lengths); a longer text is never held. */
  maximumCharacters: number;
}

export function createTokenCountMemo(
  encode: (text: string) => number,
  options: TokenCountMemoOptions,
): TokenCountMemo {
  // A Map iterates in insertion order: re-inserting on a hit keeps the first key the least recent.
  const counts = new Map<string, number>();
  let heldCharacters = 0;
  return {
    count(text) {
      if (text.length < options.minimumLength || text.length > options.maximumCharacters) {
        return encode(text);
      }
      const known = counts.get(text);
      if (known !== undefined) {
        counts.delete(text);
        counts.set(text, known);
        return known;
      }
      const counted = encode(text);
      heldCharacters += text.length;
      counts.set(text, counted);
      for (const oldest of counts.keys()) {
        if (heldCharacters <= options.maximumCharacters) break;
        heldCharacters -= oldest.length;
        counts.delete(oldest);
      }
      return counted;
    },
  };
}
