import { QdrantClient } from '@qdrant/js-client-rest';

/** The calls of the official client the store makes; a `QdrantClient` is one. */
export type QdrantPointsClient = Pick<
  QdrantClient,
  | 'collectionExists'
  | 'createCollection'
  | 'createPayloadIndex'
  | 'getCollection'
  | 'getCollections'
  | 'upsert'
  | 'delete'
  | 'query'
  | 'versionInfo'
>;

export interface QdrantConnection {
  /** `http(s)://host[:port][/path]`; without a port the client uses Qdrant's 6333. */
  url: string;
  apiKey?: string | undefined;
  /** Per request. */
  timeoutMs: number;
}

/**
 * The official REST client for one server. A path in the URL becomes the client's prefix (the
 * client would otherwise drop it), and the server's version is not checked at construction
 * (that check prints to the console in the background; {@link openQdrantVectorStore} asks once).
 */
export function createQdrantClient(connection: QdrantConnection): QdrantClient {
  const parsed = new URL(connection.url);
  const prefix = parsed.pathname.replace(/\/+$/, '');
  return new QdrantClient({
    url: `${parsed.protocol}//${parsed.host}`,
    ...(prefix ? { prefix } : {}),
    ...(connection.apiKey ? { apiKey: connection.apiKey } : {}),
    timeout: connection.timeoutMs,
    checkCompatibility: false,
  });
}
