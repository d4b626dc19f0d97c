import { callerAttributes } from '../../gateway/index.ts';
import type { Tracing } from '../../telemetry/index.ts';
import type { KnowledgeServices } from './knowledge-services.ts';

/**
 * Knowledge-base search and retrieval as spans (the query's embedding call is their child).
 * Ingestion is traced by its worker, which continues the trace of the upload that queued it.
 */
export function traceKnowledgeServices(services: KnowledgeServices, tracing: Tracing): KnowledgeServices {
  return {
    ...services,
    search: (caller, call, id, request) =>
      tracing.inSpan(
        'knowledge search',
        {
          attributes: {
            ...callerAttributes(caller),
            'kimi.knowledge_base.id': id,
            'kimi.knowledge.mode': request.mode,
            'kimi.knowledge.top_k': request.top_k,
          },
        },
        () => services.search(caller, call, id, request),
      ),
    retrieval: {
      ...services.retrieval,
      retrieve: (caller, call, request) =>
        tracing.inSpan(
          'knowledge retrieval',
          {
            attributes: {
              ...callerAttributes(caller),
              'kimi.knowledge_base.ids': [...request.knowledgeBases],
              ...(request.mode ? { 'kimi.knowledge.mode': request.mode } : {}),
            },
          },
          () => services.retrieval.retrieve(caller, call, request),
        ),
    },
  };
}
