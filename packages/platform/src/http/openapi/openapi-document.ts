import { type BodyContract, isBodyContract, type RouteContract } from '../route-contract.ts';
import { anthropicErrorBodySchema, errorBodySchema, errorStatusDescriptions } from './error-schemas.ts';
import { type JsonSchema, SchemaComponents } from './json-schema.ts';

/** A route as the document sees it (see route-table.ts). */
export interface DocumentedRoute {
  method: string;
  url: string;
  permission: string | undefined;
  contract: RouteContract | undefined;
  errorFormat: 'openai' | 'anthropic' | undefined;
}

export interface OpenApiDocumentOptions {
  /** The platform's version (`info.version`). */
  version: string;
  /**
   * Markdown appended to the `Error` schema's description (the error code table). Not in
   * `info.description`: Swagger UI stops rendering the operations below a large Markdown table there.
   */
  errorCodesMarkdown?: string;
  /** The codes and an example (OpenAI shape) for each error status, from the error catalogue. */
  errorFacts?: ReadonlyMap<number, { codes: readonly string[]; example: unknown }>;
}

export type OpenApiDocument = JsonSchema & { paths: Record<string, Record<string, JsonSchema>> };

/** `/v1/swarms/:id` → `/v1/swarms/{id}`; a trailing `*` takes the name of the one path parameter the URL lacks. */
export function openApiPath(url: string, parameterNames: readonly string[]): string {
  const named = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  if (!named.endsWith('*')) return named;
  const inUrl = new Set([...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]));
  const wildcard = parameterNames.find((name) => !inUrl.has(name)) ?? 'path';
  return `${named.slice(0, -1)}{${wildcard}}`;
}

function parametersOf(
  components: SchemaComponents,
  contract: RouteContract,
  location: 'path' | 'query' | 'header',
): JsonSchema[] {
  const schema =
    location === 'path' ? contract.params : location === 'query' ? contract.query : contract.headers;
  if (!schema) return [];
  const converted = components.convert(schema, 'input');
  const properties = (converted.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name: location === 'path' && name === '*' ? 'path' : name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function mediaOf(components: SchemaComponents, body: BodyContract): JsonSchema {
  return {
    schema: components.convert(body.schema, 'input'),
    ...(body.example === undefined ? {} : { example: body.example }),
  };
}

function requestBodyOf(components: SchemaComponents, contract: RouteContract): JsonSchema | undefined {
  if (!contract.body) return undefined;
  const required = contract.bodyOptional !== true;
  const content: Record<string, JsonSchema> = {};
  let description: string | undefined;
  if (isBodyContract(contract.body)) {
    content[contract.body.contentType] = mediaOf(components, contract.body);
    description = contract.body.description;
  } else {
    content['application/json'] = {
      schema: components.convert(contract.body, 'input'),
      ...(contract.bodyExample === undefined ? {} : { example: contract.bodyExample }),
    };
  }
  for (const alternative of contract.alternativeBodies ?? []) {
    content[alternative.contentType] = mediaOf(components, alternative);
  }
  return { required, ...(description ? { description } : {}), content };
}

/** The error statuses a route can answer with: the ones every route of its kind has, and its own. */
export function errorStatusesOf(route: DocumentedRoute): number[] {
  const contract = route.contract;
  // why 400 on every route: a malformed URL or a NUL character is refused before any route runs.
  const statuses = new Set<number>([400, 500, 503]);
  if (route.permission !== 'public') for (const status of [401, 403, 429]) statuses.add(status);
  // why every unsafe method: a body sent to a route that takes none is still parsed, and refused.
  if (contract?.body || ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) {
    for (const status of [413, 415]) statuses.add(status);
  }
  for (const status of contract?.errors ?? []) statuses.add(status);
  return [...statuses].sort((left, right) => left - right);
}

function operationOf(
  components: SchemaComponents,
  route: DocumentedRoute,
  contract: RouteContract,
  errorReferences: { openai: JsonSchema; anthropic: JsonSchema },
  options: OpenApiDocumentOptions,
): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  if (contract.websocket) responses['101'] = { description: 'Switching Protocols: the WebSocket is open.' };
  for (const [status, response] of Object.entries(contract.responses)) {
    const contentType = response.contentType ?? (response.schema ? 'application/json' : undefined);
    const media: JsonSchema = {
      ...(response.schema ? { schema: components.convert(response.schema, 'output') } : {}),
      ...(response.example === undefined ? {} : { example: response.example }),
    };
    responses[status] = {
      description: response.description,
      ...(response.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, description]) => [
                name,
                { description, schema: { type: 'string' } },
              ]),
            ),
          }
        : {}),
      ...(contentType
        ? {
            content: {
              [contentType]: media,
              ...Object.fromEntries(
                (response.alternativeContentTypes ?? []).map((alternative) => [
                  alternative,
                  { schema: { type: 'string', description: 'See the response description.' } },
                ]),
              ),
            },
          }
        : {}),
    };
  }
  const anthropic = route.errorFormat === 'anthropic';
  for (const status of errorStatusesOf(route)) {
    if (responses[String(status)]) continue;
    const facts = options.errorFacts?.get(status);
    const example = anthropic ? undefined : facts?.example;
    const codes = facts ? ` Codes: ${facts.codes.map((code) => `\`${code}\``).join(', ')}.` : '';
    responses[String(status)] = {
      description: `${errorStatusDescriptions[status] ?? 'An error.'}${codes}`,
      content: {
        'application/json': {
          schema: anthropic ? errorReferences.anthropic : errorReferences.openai,
          ...(example === undefined ? {} : { example }),
        },
      },
    };
  }
  const requestBody = requestBodyOf(components, contract);
  const parameters = [
    ...parametersOf(components, contract, 'path'),
    ...parametersOf(components, contract, 'query'),
    ...parametersOf(components, contract, 'header'),
  ];
  const permission = route.permission ?? 'undeclared';
  return {
    operationId: contract.operationId,
    summary: contract.summary,
    description: [
      contract.description,
      permission === 'public'
        ? 'No credentials needed.'
        : permission === 'authenticated'
          ? 'Any signed-in caller.'
          : `Needs the \`${permission}\` permission.`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    tags: [contract.tag],
    ...(permission === 'public' ? { security: [] } : {}),
    'x-kimi-permission': permission,
    ...(contract.websocket ? { 'x-kimi-websocket': true } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of every route that declares a contract, from the same zod schemas the
 * routes parse with. HEAD twins of GET routes are left out (HEAD answers as GET without a body).
 */
export function buildOpenApiDocument(
  routes: readonly DocumentedRoute[],
  options: OpenApiDocumentOptions,
): OpenApiDocument {
  const components = new SchemaComponents();
  const errorReferences = {
    openai: components.convert(errorBodySchema, 'output'),
    anthropic: components.convert(anthropicErrorBodySchema, 'output'),
  };
  const errorSchema = components.schemas.Error;
  if (errorSchema && options.errorCodesMarkdown) {
    errorSchema.description = `${String(errorSchema.description ?? '')}\n\n${options.errorCodesMarkdown}`;
  }
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const tags: string[] = [];
  const operationIds = new Set<string>();
  for (const route of routes) {
    const contract = route.contract;
    if (route.method === 'HEAD' || !contract) continue;
    if (operationIds.has(contract.operationId)) {
      throw new Error(`Two routes share the operationId '${contract.operationId}'.`);
    }
    operationIds.add(contract.operationId);
    if (!tags.includes(contract.tag)) tags.push(contract.tag);
    const operation = operationOf(components, route, contract, errorReferences, options);
    const pathParameterNames = ((operation.parameters ?? []) as JsonSchema[])
      .filter((parameter) => parameter.in === 'path')
      .map((parameter) => String(parameter.name));
    const path = openApiPath(route.url, pathParameterNames);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kimi Platform API',
      version: options.version,
      description:
        'The OpenAI- and Anthropic-compatible gateway, agent swarms, knowledge bases and the administration API of Kimi Platform. Every error has the documented shape with a stable `code` and a `hint`; the `Error` schema lists every code.',
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key (`sk-kimi-…`) or a workload token (JWT) from the organisation’s identity provider.',
        },
        apiKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'An API key, as Anthropic clients send it.',
        },
      },
    },
  };
}
