/** Bytes per posting: chunk number (int8), term frequency (int2), chunk length in tokens (int2). */
export const postingBytes = 12;

/** One lexeme's postings in one segment, in ascending chunk number. */
export interface PostingList {
  numbers: Float64Array;
  frequencies: Uint16Array;
  lengths: Uint16Array;
}

/**
 * The SQL expression that packs one posting, big-endian, as {@link decodePostings} reads it;
 * `string_agg(… ORDER BY number)` concatenates a lexeme's postings. `term` is a row of
 * `unnest(tsvector)` and `c` the chunk.
 */
export const packedPostingSql =
  'int8send(c.number) || int2send(least(cardinality(term.positions), 32767)::int2) || int2send(least(c.token_count, 32767)::int2)';

/** Reads the packed postings of one `knowledge_postings` row. */
export function decodePostings(bytes: Uint8Array): PostingList {
  const count = Math.floor(bytes.byteLength / postingBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const numbers = new Float64Array(count);
  const frequencies = new Uint16Array(count);
  const lengths = new Uint16Array(count);
  for (let index = 0, offset = 0; index < count; index += 1, offset += postingBytes) {
    // why two halves: chunk numbers stay far below 2^53, and two 32-bit reads avoid BigInt.
    numbers[index] = view.getUint32(offset) * 4_294_967_296 + view.getUint32(offset + 4);
    frequencies[index] = view.getUint16(offset + 8);
    lengths[index] = view.getUint16(offset + 10);
  }
  return { numbers, frequencies, lengths };
}

/** The bytes a decoded list holds in memory (for the cache's budget). */
export function postingListBytes(list: PostingList): number {
  return list.numbers.byteLength + list.frequencies.byteLength + list.lengths.byteLength;
}
