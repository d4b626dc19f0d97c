import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { KnowledgeCall } from '../../platform/index.ts';
import { abortOnClientClose } from '../request-abort.ts';

export const knowledgeBaseParamsSchema = z.strictObject({ knowledgeBaseId: z.string().min(1).max(128) });

/** What a knowledge call carries of its HTTP request: the request id, its start, its abort signal. */
export function callOf(request: FastifyRequest, reply: FastifyReply): KnowledgeCall {
  return { requestId: request.id, startedAt: request.startedAt, signal: abortOnClientClose(reply) };
}
