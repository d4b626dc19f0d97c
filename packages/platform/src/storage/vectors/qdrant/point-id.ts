import { createHash } from 'node:crypto';

/**
 * The namespace of chunk point ids (a fixed, randomly drawn UUID). Changing it would orphan every
 * point already stored, so it never changes.
 */
export const chunkPointNamespace = '4b0c8f39-5a62-4f0e-9c5e-1f7d2a6b8e13';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 of the namespace's bytes and the name's UTF-8
 * bytes, with the version and variant bits set). The same name always gives the same UUID.
 */
export function nameBasedUuid(namespace: string, name: string): string {
  if (!uuidPattern.test(namespace)) throw new Error(`'${namespace}' is not a UUID`);
  const digest = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The Qdrant point id of a chunk. Qdrant accepts only unsigned integers and UUIDs as ids, while
 * chunk ids are text (`kchunk_…`), so the id is derived: upserting a chunk again replaces its point,
 * and a delete needs no lookup table. The chunk id itself travels in the point's payload.
 */
export function chunkPointId(chunkId: string): string {
  return nameBasedUuid(chunkPointNamespace, chunkId);
}
