import type { Tool } from '../../tool-contract.ts';
import { defineTool } from '../define-tool.ts';
import type { ToolLimits } from '../tool-limits.ts';

/** One passage a knowledge base returned. */
export interface KnowledgePassage {
  source: string;
  text: string;
  score: number;
}

/** What a search found, or that the organisation has no knowledge base to search. */
export type KnowledgeSearchOutcome =
  | { configured: false }
  | { configured: true; passages: KnowledgePassage[] };

/**
 * The seam the RAG module plugs into: search an organisation's knowledge bases. The platform
 * passes its implementation to the toolkit; until then, `noKnowledgeSearch` answers.
 */
export interface KnowledgeSearch {
  search(request: {
    organizationId: string;
    query: string;
    knowledgeBase: string | null;
    limit: number;
    signal: AbortSignal;
  }): Promise<KnowledgeSearchOutcome>;
}

/** The default: no knowledge base is configured anywhere. */
export const noKnowledgeSearch: KnowledgeSearch = {
  async search() {
    return { configured: false };
  },
};

/** `knowledge_search`: passages from the organisation's knowledge bases for a query. */
export function createKnowledgeSearchTool(knowledge: KnowledgeSearch, limits?: ToolLimits): Tool {
  return defineTool(
    {
      name: 'knowledge_search',
      description:
        "Searches the organization's knowledge bases and returns the most relevant passages with their sources.",
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1, maxLength: 2000, description: 'What to look for.' },
          knowledge_base: { type: 'string', maxLength: 128, description: 'Search only this knowledge base.' },
          limit: { type: 'integer', minimum: 1, maximum: 20, description: 'Passages to return; default 5.' },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
    async (argumentsValue, context) => {
      const outcome = await knowledge.search({
        organizationId: context.organizationId,
        query: String(argumentsValue.query),
        knowledgeBase:
          typeof argumentsValue.knowledge_base === 'string' ? argumentsValue.knowledge_base : null,
        limit: typeof argumentsValue.limit === 'number' ? argumentsValue.limit : 5,
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
        .map(
          (passage, index) =>
            `[${index + 1}] ${passage.source} (score ${passage.score.toFixed(3)})\n${passage.text}`,
        )
        .join('\n\n');
    },
    limits,
  );
}
