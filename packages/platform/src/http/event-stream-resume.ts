import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors } from '../errors/index.ts';
import { parseWith } from './parse-body.ts';

const lastEventIdPattern = /^\d+$/;

/** `?after=N` of a resumable event stream (swarm runs, knowledge documents). */
export const eventStreamQuerySchema = z.strictObject({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Send only the events after this sequence number (default 0: all).'),
});

/** The `Last-Event-ID` an SSE client sends when it reconnects, as the contracts document it. */
export const lastEventIdHeadersSchema = z.object({
  'last-event-id': z
    .string()
    .regex(lastEventIdPattern)
    .optional()
    .describe(
      'Resume after this event (its sequence number, the SSE `id`); takes precedence over `?after=`.',
    ),
});

/** The sequence number a stream resumes after: `Last-Event-ID`, else `?after=`, else 0 (a 400 naming a bad one). */
export function resumeAfterOf(request: FastifyRequest): number {
  const query = parseWith(eventStreamQuerySchema, request.query);
  const header = request.headers['last-event-id'];
  const lastEventId = Array.isArray(header) ? header[0] : header;
  if (lastEventId !== undefined && !lastEventIdPattern.test(lastEventId.trim())) {
    throw errors.invalidRequest('Last-Event-ID', "'Last-Event-ID' must be the sequence number of an event.");
  }
  return lastEventId !== undefined ? Number(lastEventId.trim()) : (query.after ?? 0);
}
