import type { KnowledgeSearch } from '../../agents/tools/index.ts';
import { type KnowledgeRetrieval, maximumRetrievalKnowledgeBases } from './knowledge-retrieval.ts';

/**
 * The agents' `knowledge_search` over the platform's knowledge bases. A bound run searches the
 * bases the tool was given (the run's, or the one the model narrowed to); an unbound run searches
 * every knowledge base of its organisation — up to ten; with more, the model must narrow to one
 * (the run should name its bases instead). An organisation without knowledge bases is reported as
 * not configured. The query is embedded through the gateway as the run's caller, so it is metered
 * and billed to the run's organisation like the run's model calls.
 */
export function createAgentKnowledgeSearch(retrieval: KnowledgeRetrieval): KnowledgeSearch {
  return {
    async search(request) {
      const caller = request.caller;
      if (caller === null || caller.organizationId !== request.organizationId) {
        throw new Error('knowledge_search runs only within a swarm run of its organization.');
      }
      let knowledgeBases = request.knowledgeBases;
      if (knowledgeBases === null) {
        const own = await retrieval.listOwnKnowledgeBases(caller, maximumRetrievalKnowledgeBases);
        if (own.records.length === 0) return { configured: false };
        if (own.hasMore) {
          throw new Error(
            `The organization has more than ${maximumRetrievalKnowledgeBases} knowledge bases; pass knowledge_base to search one of them (the run can also be started with knowledge_bases).`,
          );
        }
        knowledgeBases = own.records.map((record) => record.id);
      }
      const passages = await retrieval.retrieve(
        caller,
        { requestId: request.requestId, startedAt: performance.now(), signal: request.signal },
        { knowledgeBases, query: request.query, topK: request.limit, param: 'knowledge_base' },
      );
      return {
        configured: true,
        passages: passages.map((passage) => ({
          knowledgeBaseId: passage.knowledge_base_id,
          documentId: passage.document_id,
          externalId: passage.external_id,
          chunkId: passage.chunk_id,
          title: passage.title,
          text: passage.text,
          start: passage.start,
          end: passage.end,
          score: passage.score,
        })),
      };
    },
  };
}
