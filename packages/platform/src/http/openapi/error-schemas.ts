import { z } from 'zod';

const openAIErrorTypes = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'rate_limit_error',
  'insufficient_quota',
  'api_error',
  'server_error',
  'timeout_error',
] as const;

/** The error body of every route but Anthropic's: OpenAI's shape with our stable code and a hint. */
export const errorBodySchema = z
  .object({
    error: z.object({
      message: z.string().describe('What went wrong, for a person.'),
      type: z.enum(openAIErrorTypes).describe("OpenAI's error type, which OpenAI clients understand."),
      code: z.string().describe('The stable error code (see the error codes table in docs/api.md).'),
      param: z.string().nullable().describe('The request field at fault, when one is.'),
      hint: z.string().optional().describe('How to recover.'),
      request_id: z.string().optional().describe('The request id (also the `x-request-id` header).'),
    }),
  })
  .meta({
    id: 'Error',
    description: 'An error, in the shape OpenAI clients parse, with a stable code and a hint.',
  });

/** The error body of Anthropic-shaped routes (`/v1/messages…`), with our code and hint under `details`. */
export const anthropicErrorBodySchema = z
  .object({
    type: z.literal('error'),
    error: z.object({
      type: z.string().describe("Anthropic's error type (e.g. `invalid_request_error`, `overloaded_error`)."),
      message: z.string(),
      details: z.object({
        error_code: z.string().describe('The stable error code.'),
        param: z.string().optional(),
        hint: z.string().optional(),
      }),
    }),
    request_id: z.string().optional(),
  })
  .meta({ id: 'AnthropicError', description: "An error in the shape Anthropic's clients parse." });

/** What each error status means, for the document's error responses. */
export const errorStatusDescriptions: Readonly<Record<number, string>> = {
  400: 'The request is invalid; `param` names the field.',
  401: 'No credential, or one that is not valid.',
  402: 'The plan or budget does not allow this.',
  403: 'The caller lacks the permission, scope or role this needs.',
  404: 'Not found, or not visible to the caller (another tenant’s resources are never revealed).',
  405: 'The path exists for other methods (see `Allow`).',
  408: 'The request took longer than the server allows.',
  409: 'A conflict with the resource’s current state.',
  413: 'The body is too large.',
  415: 'The content type is not accepted.',
  422: 'The request is well-formed but cannot be processed.',
  426: 'A WebSocket route was called without a WebSocket upgrade.',
  429: 'A rate limit, quota or budget refused the request; see `Retry-After`.',
  500: 'An internal error; retry, and report the request id if it persists.',
  502: 'The provider answered with an error.',
  503: 'Unavailable: shutting down, a provider is down, or a circuit is open; retry later.',
  504: 'The provider did not answer in time.',
};
