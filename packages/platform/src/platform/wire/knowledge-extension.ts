import { z } from 'zod';

/** The most knowledge bases one chat call may ground its answer in. */
export const maximumGroundingKnowledgeBases = 10;
export const defaultKnowledgeTopK = 5;

/**
 * `kimi: { knowledge_bases, knowledge_top_k }`, the platform's extension field of
 * `POST /v1/chat/completions` and `POST /v1/responses` (never sent to a provider): the knowledge
 * bases to ground the answer in, and how many passages to retrieve across them.
 */
export const knowledgeExtensionSchema = z.strictObject({
  knowledge_bases: z.array(z.string().min(1).max(128)).min(1).max(maximumGroundingKnowledgeBases),
  knowledge_top_k: z.number().int().min(1).max(50).default(defaultKnowledgeTopK),
});
export type KnowledgeExtension = z.output<typeof knowledgeExtensionSchema>;
