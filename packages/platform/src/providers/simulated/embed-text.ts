/** Word unigrams say what a text is about; character trigrams tolerate inflection and typos. */
const wordWeight = 1;
const trigramWeight = 0.5;

/**
 * A deterministic embedding by signed feature hashing: lower-cased words and the character
 * trigrams of each word are hashed into `dimensions` buckets with a hashed sign, then the vector
 * is scaled to unit length. Texts sharing words get a high cosine similarity, texts sharing none
 * a similarity near zero. The semantic cache reuses this for offline similarity.
 */
export function embedText(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    addFeature(vector, `w:${word}`, wordWeight);
    const padded = [...` ${word} `];
    for (let start = 0; start + 3 <= padded.length; start += 1) {
      addFeature(vector, `t:${padded.slice(start, start + 3).join('')}`, trigramWeight);
    }
  }
  const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  // Why a fixed direction for empty text: every embedding must have unit length.
  if (length === 0) return vector.map((_, index) => (index === 0 ? 1 : 0));
  return vector.map((value) => value / length);
}

function addFeature(vector: number[], feature: string, weight: number): void {
  const hash = mix(fnv1a(feature));
  const bucket = hash % vector.length;
  const sign = hash & 0x80000000 ? -1 : 1;
  vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
}

/** FNV-1a over UTF-16 code units: fast, stable across processes and machines. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The MurmurHash3 finaliser, so nearby FNV values land in unrelated buckets. */
function mix(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
