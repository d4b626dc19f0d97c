import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TraceContentServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';

const organizationParamsSchema = z.object({ organizationId: z.string().min(1).max(64) });

const putTraceContentSchema = z.strictObject({
  record_content: z
    .boolean()
    .describe('True: trace spans carry prompt and completion text (gen_ai.input/output.messages).'),
});

const traceContentSchema = z
  .object({
    object: z.literal('trace_content_setting'),
    organization_id: z.string(),
    record_content: z.boolean(),
  })
  .meta({
    id: 'TraceContentSetting',
    description: "Whether the organisation's trace spans carry prompt and completion text; off by default.",
  });
const traceContentExample = {
  object: 'trace_content_setting',
  organization_id: 'org_3kTtV5xQ1mZ8rB2w',
  record_content: false,
} satisfies z.output<typeof traceContentSchema>;
const tag = 'Admin: organizations';

/** The organisation's opt-in to prompt and completion text on its trace spans. */
export function registerAdminTraceContentRoutes(
  app: FastifyInstance,
  traceContent: TraceContentServices,
): void {
  const path = '/v1/admin/organizations/:organizationId/trace-content';
  const envelope = (organizationId: string, recordContent: boolean): z.output<typeof traceContentSchema> => ({
    object: 'trace_content_setting',
    organization_id: organizationId,
    record_content: recordContent,
  });

  app.get(
    path,
    requires('admin:organization', {
      operationId: 'getTraceContentSetting',
      summary: 'Get whether trace spans carry prompt and completion text',
      tag,
      params: organizationParamsSchema,
      responses: {
        200: { description: 'The setting.', schema: traceContentSchema, example: traceContentExample },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      return envelope(organizationId, await traceContent.get(callerOf(request), organizationId));
    },
  );

  app.put(
    path,
    requires('admin:cache', {
      operationId: 'putTraceContentSetting',
      summary: 'Opt in to (or out of) prompt and completion text on trace spans',
      description:
        "Off by default: spans carry models, token counts and costs, never text. On: the gateway's chat span also carries the messages and the answer, for the operator's trace backend. Audited.",
      tag,
      params: organizationParamsSchema,
      body: putTraceContentSchema,
      bodyExample: { record_content: true },
      responses: {
        200: {
          description: 'The setting as stored.',
          schema: traceContentSchema,
          example: { ...traceContentExample, record_content: true },
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { organizationId } = parseWith(organizationParamsSchema, request.params);
      const body = parseWith(putTraceContentSchema, request.body);
      return envelope(
        organizationId,
        await traceContent.put(callerOf(request), organizationId, body.record_content),
      );
    },
  );
}
