import type { QdrantPointsClient } from './qdrant-client.ts';

/** Payload fields with a keyword index: every search filters on the first two, deletes on the third. */
export const indexedPayloadFields = ['organization_id', 'knowledge_base_id', 'document_id'] as const;

/** The per-dimension collections of one prefix, created on first use. */
export interface QdrantCollections {
  /** `<prefix>_<dimensions>`. */
  name(dimensions: number): string;
  /** Creates the collection (cosine distance) and its payload indexes unless they exist; returns its name. */
  ensure(dimensions: number): Promise<string>;
  /** Whether the collection of `dimensions` exists. */
  exists(dimensions: number): Promise<boolean>;
  /** Every collection of this prefix: deletes do not know a knowledge base's dimension. */
  list(): Promise<string[]>;
}

/** What `vectors.qdrant.collection_prefix` accepts. */
export const collectionPrefixPattern = /^[a-z][a-z0-9_]{0,62}$/;

const alreadyExists = /already exists|409/i;

/**
 * One collection per embedding dimension (a Qdrant collection has one vector size, while
 * knowledge bases use different models). Creation is idempotent and safe against a replica doing
 * the same at once: a conflict is answered by checking that the collection is there. Collections
 * seen to exist are remembered for the life of the process.
 */
export function createQdrantCollections(client: QdrantPointsClient, prefix: string): QdrantCollections {
  if (!collectionPrefixPattern.test(prefix)) {
    throw new Error(
      `'${prefix}' is not a collection prefix (lowercase letters, digits and _, from a letter)`,
    );
  }
  const ready = new Set<string>();
  const name = (dimensions: number) => `${prefix}_${dimensions}`;
  const pattern = new RegExp(`^${prefix}_[1-9][0-9]*$`);

  async function create(collection: string, dimensions: number): Promise<void> {
    try {
      await client.createCollection(collection, { vectors: { size: dimensions, distance: 'Cosine' } });
    } catch (error) {
      if (!alreadyExists.test(String(error)) || !(await client.collectionExists(collection)).exists) {
        throw error;
      }
    }
  }

  return {
    name,
    async ensure(dimensions) {
      const collection = name(dimensions);
      if (ready.has(collection)) return collection;
      if (!(await client.collectionExists(collection)).exists) await create(collection, dimensions);
      // why read the schema: a process that died between creating the collection and its
      // indexes left them missing; this adds them without asking for every index at each start.
      const info = await client.getCollection(collection);
      const indexed = new Set(Object.keys(info.payload_schema ?? {}));
      for (const field of indexedPayloadFields) {
        if (indexed.has(field)) continue;
        await client.createPayloadIndex(collection, {
          field_name: field,
          field_schema: 'keyword',
          wait: true,
        });
      }
      ready.add(collection);
      return collection;
    },
    async exists(dimensions) {
      const collection = name(dimensions);
      if (ready.has(collection)) return true;
      return (await client.collectionExists(collection)).exists;
    },
    async list() {
      const { collections } = await client.getCollections();
      return collections
        .map((collection) => collection.name)
        .filter((collection) => pattern.test(collection));
    },
  };
}
