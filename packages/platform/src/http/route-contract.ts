import type { z } from 'zod';

/** A response a route documents for one status. */
export interface ResponseContract {
  description: string;
  /** The JSON body's schema (`application/json`); omit for bodies without one (e.g. 204, streams). */
  schema?: z.ZodType;
  /** Default `application/json` when `schema` is set. */
  contentType?: string;
  /** A body this response really sends (checked against `schema` by the OpenAPI tests). */
  example?: unknown;
  /** Other content types the same status may answer with (e.g. `text/event-stream` when the request asks to stream). */
  alternativeContentTypes?: readonly string[];
  /** Response headers worth knowing, by name, with what they carry. */
  headers?: Readonly<Record<string, string>>;
}

/** What a request body is, when it is not JSON. */
export interface BodyContract {
  contentType:
    | 'multipart/form-data'
    | 'application/x-ndjson'
    | 'application/octet-stream'
    | 'application/json';
  schema: z.ZodType;
  description?: string;
  /** A body of this type the route accepts (checked against `schema` by the OpenAPI tests when JSON). */
  example?: unknown;
}

/**
 * What a route accepts and answers, from the same zod schemas its handler parses with: the source of
 * the OpenAPI document (`/openapi.json`). Declared beside the permission: `requires('admin:keys', {...})`.
 */
export interface RouteContract {
  /** Unique across the API, camelCase: `createApiKey`. */
  operationId: string;
  summary: string;
  description?: string;
  /** The group it is listed under in the docs (e.g. `Admin: keys`). */
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** Request headers that change what the route does (e.g. `Idempotency-Key`, `Last-Event-ID`). */
  headers?: z.ZodType;
  /** A JSON body (`application/json`) or another body type. */
  body?: z.ZodType | BodyContract;
  /** Other content types the same route accepts (e.g. JSON beside a multipart upload). */
  alternativeBodies?: readonly BodyContract[];
  /** A request body the route accepts (checked against `body` by the OpenAPI tests). */
  bodyExample?: unknown;
  /** Whether the body may be absent (e.g. an optional JSON options body). Default: required when declared. */
  bodyOptional?: boolean;
  /**
   * Successful (and other non-error) responses by status. Error responses come from `errors`; a
   * status declared here (e.g. `/readyz`'s 503 with its checks) is documented as declared instead.
   */
  responses: Readonly<Record<number, ResponseContract>>;
  /** The error statuses this route can answer with besides the ones every authenticated route has. */
  errors?: readonly number[];
  /** True when the route is a WebSocket upgrade (documented as a GET answering 101). */
  websocket?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    contract?: RouteContract;
  }
}

/** Whether a body declaration is JSON (a bare zod schema) or another content type. */
export function isBodyContract(body: z.ZodType | BodyContract): body is BodyContract {
  return 'contentType' in body && 'schema' in body;
}
