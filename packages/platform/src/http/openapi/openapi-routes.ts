import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../../errors/index.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { docsAssets, docsInitializer, docsPage, readDocsAsset } from './docs-page.ts';
import { errorCodeTable, errorFactsByStatus } from './error-examples.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.ts';

const platformVersion = (createRequire(import.meta.url)('../../../package.json') as { version: string })
  .version;

const assetParamsSchema = z.object({
  file: z
    .string()
    .max(64)
    .describe(
      `One of ${['initializer.js', ...Object.keys(docsAssets)].map((name) => `\`${name}\``).join(', ')}.`,
    ),
});

/** The document of every route the app serves, built once on first request (every route is registered by then). */
export function openApiDocumentOf(app: FastifyInstance): OpenApiDocument {
  return buildOpenApiDocument(app.registeredRoutes(), {
    version: platformVersion,
    errorFacts: errorFactsByStatus(),
    appendix: `## Error codes\n\n${errorCodeTable()}`,
  });
}

/** `/openapi.json` (the OpenAPI 3.1 document) and `/docs` (Swagger UI on it, its assets served from this server). */
export function registerOpenApiRoutes(app: FastifyInstance): void {
  let document: string | undefined;

  app.get(
    '/openapi.json',
    requires('public', {
      operationId: 'getOpenApiDocument',
      summary: 'The OpenAPI 3.1 document of this API',
      description: 'Generated from the zod schemas the routes validate with.',
      tag: 'Documentation',
      responses: {
        200: {
          description: 'The document.',
          schema: z.record(z.string(), z.unknown()).describe('An OpenAPI 3.1 document.'),
          example: { openapi: '3.1.0', info: { title: 'Kimi Platform API', version: platformVersion } },
        },
      },
    }),
    async (_request, reply) => {
      document ??= JSON.stringify(openApiDocumentOf(app));
      return reply.type('application/json; charset=utf-8').send(document);
    },
  );

  app.get(
    '/docs',
    requires('public', {
      operationId: 'getApiDocs',
      summary: 'Interactive API documentation (Swagger UI)',
      tag: 'Documentation',
      responses: { 200: { description: 'An HTML page rendering /openapi.json.', contentType: 'text/html' } },
    }),
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(docsPage),
  );

  app.get(
    '/docs/assets/:file',
    requires('public', {
      operationId: 'getApiDocsAsset',
      summary: 'A file of the documentation page',
      tag: 'Documentation',
      params: assetParamsSchema,
      errors: [404],
      responses: {
        200: {
          description: 'The file (script, stylesheet or icon).',
          contentType: 'application/octet-stream',
        },
      },
    }),
    async (request, reply) => {
      const { file } = parseWith(assetParamsSchema, request.params);
      if (file === 'initializer.js')
        return reply.type('text/javascript; charset=utf-8').send(docsInitializer);
      const content = readDocsAsset(file);
      if (!content) throw errors.notFound(`The documentation file '${file}'`);
      reply.header('cache-control', 'public, max-age=86400');
      return reply.type(docsAssets[file] ?? 'application/octet-stream').send(await content);
    },
  );
}
