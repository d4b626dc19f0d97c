import type { AuthContext } from '../../../tenancy/index.ts';
import type { Tool } from '../../tool-contract.ts';
import { defineTool } from '../define-tool.ts';
import type { ToolLimits } from '../tool-limits.ts';

/** One passage a knowledge base returned, with what it takes to cite it. */
export interface KnowledgePassage {
  knowledgeBaseId: string;
  documentId: string;
  /** The caller's own id of the document, when it gave one. */
  externalId: string | null;
  chunkId: string;
  title: string;
  text: string;
  /** Character offsets of `text` in the document's text. */
  start: number;
  end: number;
  score: number;
}

/** What a search found, or that the organisation has no knowledge base to search. */
export type KnowledgeSearchOutcome =
  | { configured: false }
  | { configured: true; passages: KnowledgePassage[] };

export interface KnowledgeSearchRequest {
  organizationId: string;
  /** Who the run acts for: the query's embedding is a gateway call as it, metered to its organisation. */
  caller: AuthContext | null;
  query: string;
  /**
   * The knowledge bases to search: the run's bound ones, or the one the model narrowed to among
   * them; null when the run is unbound (the implementation decides what that searches).
   */
  knowledgeBases: readonly string[] | null;
  limit: number;
  /** Unique per tool call attempt: the usage ledger keys the embedding's record by it. */
  requestId: string;
  signal: AbortSignal;
}

/**
 * The seam the RAG module plugs into: search an organisation's knowledge bases. The platform
 * passes its implementation to the toolkit; without one, `noKnowledgeSearch` answers. A refusal
 * (an unknown knowledge base) is thrown as an Error whose message the model reads.
 */
export interface KnowledgeSearch {
  search(request: KnowledgeSearchRequest): Promise<KnowledgeSearchOutcome>;
}

/** The default: no knowledge base is configured anywhere. */
export const noKnowledgeSearch: KnowledgeSearch = {
  async search() {
    return { configured: false };
  },
};

/** How the tool's output names a passage: `Title (external_id or document_id, chars start–end)`. */
export function passageCitation(passage: KnowledgePassage): string {
  const title = passage.title.trim() === '' ? 'Untitled' : passage.title;
  return `${title} (${passage.externalId ?? passage.documentId}, chars ${passage.start}–${passage.end})`;
}

/**
 * `knowledge_search`: passages from the organisation's knowledge bases for a query. Bound to a
 * run's knowledge bases (`bound`), it searches exactly those; its `knowledge_base` argument may
 * narrow the search to one of them (the schema lists them), never widen it.
 */
export function createKnowledgeSearchTool(
  knowledge: KnowledgeSearch,
  limits?: ToolLimits,
  bound: readonly string[] = [],
): Tool {
  const knowledgeBaseProperty =
    bound.length > 0
      ? {
          type: 'string',
          enum: [...bound],
          description: 'Search only this one of the knowledge bases bound to the run.',
        }
      : { type: 'string', maxLength: 128, description: 'Search only this knowledge base (its id).' };
  return defineTool(
    {
      name: 'knowledge_search',
      description:
        bound.length > 0
          ? `Searches the ${bound.length === 1 ? 'knowledge base' : `${bound.length} knowledge bases`} bound to this run and returns the most relevant passages, each numbered with its source to cite.`
          : "Searches the organization's knowledge bases and returns the most relevant passages with their sources.",
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1, maxLength: 2000, description: 'What to look for.' },
          knowledge_base: knowledgeBaseProperty,
          limit: { type: 'integer', minimum: 1, maximum: 20, description: 'Passages to return; default 5.' },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
    async (argumentsValue, context) => {
      const narrowed =
        typeof argumentsValue.knowledge_base === 'string' ? argumentsValue.knowledge_base : null;
      if (narrowed !== null && bound.length > 0 && !bound.includes(narrowed)) {
        return {
          ok: false,
          error: `The knowledge base '${narrowed}' is not bound to this run; search one of ${bound.join(', ')}, or leave knowledge_base out to search them all.`,
        };
      }
      const knowledgeBases = narrowed !== null ? [narrowed] : bound.length > 0 ? bound : null;
      const outcome = await knowledge.search({
        organizationId: context.organizationId,
        caller: context.caller ?? null,
        query: String(argumentsValue.query),
        knowledgeBases,
        limit: typeof argumentsValue.limit === 'number' ? argumentsValue.limit : 5,
        requestId: `swarm_${context.runId}_${context.stepKey}_${context.attempt ?? 1}`,
        signal: context.signal,
      });
      if (!outcome.configured) {
        return {
          ok: false,
          error:
            'No knowledge base is configured for this organization, so knowledge_search cannot help; answer from other sources.',
        };
      }
      if (outcome.passages.length === 0) return 'No passage matched the query.';
      return outcome.passages
        .map((passage, index) => `[${index + 1}] ${passageCitation(passage)}\n${passage.text}`)
        .join('\n\n');
    },
    limits,
  );
}
