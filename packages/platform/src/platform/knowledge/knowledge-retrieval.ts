import { errors } from '../../errors/index.ts';
import { requirePermission } from '../../identity/index.ts';
import {
  findDocuments,
  findKnowledgeBase,
  type KnowledgeBaseRecord,
  listKnowledgeBases,
  type SearchMode,
  searchChunks,
} from '../../rag/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import {
  embedTexts,
  type KnowledgeCall,
  type KnowledgeServiceDependencies,
} from './knowledge-dependencies.ts';

/** The most knowledge bases one retrieval (a chat call, a swarm run) may name. */
export const maximumRetrievalKnowledgeBases = 10;

/** One passage retrieval found, with everything an answer needs to cite it. */
export interface RetrievedPassage {
  knowledge_base_id: string;
  document_id: string;
  external_id: string | null;
  chunk_id: string;
  title: string;
  text: string;
  /** Character offsets of `text` in the document's text. */
  start: number;
  end: number;
  /** The score in the knowledge base's search (in hybrid mode the reciprocal-rank-fusion score). */
  score: number;
}

export interface RetrievalRequest {
  /** Knowledge base ids of the caller's organisation, at most {@link maximumRetrievalKnowledgeBases}. */
  knowledgeBases: readonly string[];
  query: string;
  /** Passages returned in all, across the bases. */
  topK: number;
  mode?: SearchMode;
  /** The field that named the bases, so an error names the entry: `kimi.knowledge_bases` → `kimi.knowledge_bases[1]`. */
  param: string;
}

/**
 * Retrieval across knowledge bases, for the surfaces that put passages into a prompt (chat
 * completions, responses, the agents' `knowledge_search`). Searching needs `knowledge:read`.
 */
export interface KnowledgeRetrieval {
  /**
   * The named knowledge bases of the caller's organisation, in order. An id that names none of
   * them — unknown, or another organisation's — is a 404 naming `<param>[i]`, the same either way,
   * so no organisation learns that another's id exists; a repeated id is a 400.
   */
  checkKnowledgeBases(
    caller: AuthContext,
    ids: readonly string[],
    param: string,
  ): Promise<KnowledgeBaseRecord[]>;
  /** The organisation's knowledge bases, newest first, up to `limit`, and whether it has more. */
  listOwnKnowledgeBases(
    caller: AuthContext,
    limit: number,
  ): Promise<{ records: KnowledgeBaseRecord[]; hasMore: boolean }>;
  /**
   * Searches each base (hybrid unless `mode` says otherwise) for `topK` passages and merges them
   * by score, best first, keeping `topK`. The query is embedded once per embedding model, through
   * the gateway as the caller (metered and billed to its organisation).
   */
  retrieve(caller: AuthContext, call: KnowledgeCall, request: RetrievalRequest): Promise<RetrievedPassage[]>;
}

export function createKnowledgeRetrieval(dependencies: KnowledgeServiceDependencies): KnowledgeRetrieval {
  const reading = (caller: AuthContext) => {
    requirePermission(caller, 'knowledge:read', caller.organizationId);
    return dependencies.database.forOrganization(caller.organizationId);
  };

  async function checkKnowledgeBases(
    caller: AuthContext,
    ids: readonly string[],
    param: string,
  ): Promise<KnowledgeBaseRecord[]> {
    const database = reading(caller);
    if (ids.length > maximumRetrievalKnowledgeBases) {
      throw errors.invalidRequest(
        param,
        `'${param}' names ${ids.length} knowledge bases; at most ${maximumRetrievalKnowledgeBases} may be searched at once.`,
      );
    }
    const records: KnowledgeBaseRecord[] = [];
    for (const [index, id] of ids.entries()) {
      if (ids.indexOf(id) !== index) {
        throw errors.invalidRequest(`${param}[${index}]`, `The knowledge base '${id}' is named twice.`);
      }
      const record = await findKnowledgeBase(database, caller.organizationId, id);
      if (!record) throw errors.notFound(`The knowledge base '${id}'`, `${param}[${index}]`);
      records.push(record);
    }
    return records;
  }

  return {
    checkKnowledgeBases,

    async listOwnKnowledgeBases(caller, limit) {
      const page = await listKnowledgeBases(reading(caller), caller.organizationId, { limit });
      return page ?? { records: [], hasMore: false };
    },

    async retrieve(caller, call, request) {
      const knowledgeBases = await checkKnowledgeBases(caller, request.knowledgeBases, request.param);
      const database = reading(caller);
      const mode = request.mode ?? 'hybrid';
      // why one embedding per model: bases sharing a model compare the same query vector, and the
      // caller pays for one call instead of one per base.
      const embeddingsByModel = new Map<string, Promise<number[]>>();
      const embedQuery = (model: string) => {
        let embedding = embeddingsByModel.get(model);
        if (!embedding) {
          const requestId = `${call.requestId}-knowledge-${embeddingsByModel.size + 1}`;
          embedding = embedTexts(dependencies, caller, call, model, [request.query], requestId).then(
            (vectors) => vectors[0]!,
          );
          embeddingsByModel.set(model, embedding);
        }
        return embedding;
      };
      const perBase = await Promise.all(
        knowledgeBases.map(async (knowledgeBase, baseIndex) => {
          const hits = await searchChunks(dependencies.store, database, {
            organizationId: caller.organizationId,
            knowledgeBaseId: knowledgeBase.id,
            query: request.query,
            mode,
            topK: request.topK,
            embedQuery: () => embedQuery(knowledgeBase.embeddingModel),
          });
          const documents = await findDocuments(database, caller.organizationId, knowledgeBase.id, [
            ...new Set(hits.map((hit) => hit.documentId)),
          ]);
          return hits.map((hit, rank) => ({
            baseIndex,
            rank,
            passage: {
              knowledge_base_id: knowledgeBase.id,
              document_id: hit.documentId,
              external_id: documents.get(hit.documentId)?.externalId ?? null,
              chunk_id: hit.chunkId,
              title: documents.get(hit.documentId)?.title ?? '',
              text: hit.text,
              start: hit.start,
              end: hit.end,
              score: hit.score,
            } satisfies RetrievedPassage,
          }));
        }),
      );
      return perBase
        .flat()
        .sort(
          (left, right) =>
            right.passage.score - left.passage.score ||
            left.rank - right.rank ||
            left.baseIndex - right.baseIndex,
        )
        .slice(0, request.topK)
        .map((entry) => entry.passage);
    },
  };
}
