import { GraphQLError } from 'graphql';
import { errors, isPlatformError, PlatformError } from '../../errors/index.ts';

/**
 * GraphQL errors carry the REST error's code, type, hint, param and HTTP status in `extensions`,
 * with the request id, so a client handles both surfaces alike. Anything not a PlatformError is
 * an INTERNAL_ERROR whose message says nothing of the cause.
 */
export interface GraphQLErrorExtensions {
  code: string;
  type: string;
  hint: string | null;
  param: string | null;
  status: number;
  request_id: string;
}

/** Errors of the GraphQL language itself: the document does not parse or does not validate. */
export const graphqlErrors = {
  parseFailed(message: string): PlatformError {
    return new PlatformError({
      code: 'GRAPHQL_PARSE_FAILED',
      message,
      param: 'query',
      hint: 'Fix the GraphQL syntax at the location given; see docs/graphql.md for examples.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  validationFailed(message: string): PlatformError {
    return new PlatformError({
      code: 'GRAPHQL_VALIDATION_FAILED',
      message,
      param: 'query',
      hint: 'Ask only for fields and arguments the schema has (introspect it, or see docs/graphql.md).',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  subscriptionNeedsWebSocket(): PlatformError {
    return new PlatformError({
      code: 'SUBSCRIPTION_REQUIRES_WEBSOCKET',
      message: 'Subscriptions are served over the WebSocket of /graphql (graphql-ws), not over HTTP.',
      param: 'query',
      hint: 'Connect a graphql-ws client to ws(s)://<host>/graphql; see docs/graphql.md.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  /** A document over one of the limits (depth, cost, aliases, tokens), named with its maximum. */
  limitExceeded(code: string, message: string, hint: string): PlatformError {
    return new PlatformError({
      code,
      message,
      param: 'query',
      hint,
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
};

/** A refusal raised by the GraphQL machinery itself (a limit, the transport), carrying its coded error. */
export class CodedGraphQLError extends GraphQLError {
  readonly platformError: PlatformError;
  constructor(platformError: PlatformError, nodes?: ConstructorParameters<typeof GraphQLError>[1]) {
    super(platformError.message, nodes === undefined ? {} : { nodes: nodes as never });
    this.platformError = platformError;
  }
}

function platformErrorOf(error: GraphQLError | PlatformError): PlatformError {
  if (isPlatformError(error)) return error;
  if (error instanceof CodedGraphQLError) return error.platformError;
  const original = error.originalError;
  if (original instanceof CodedGraphQLError) return original.platformError;
  if (original !== undefined && original !== null && !(original instanceof GraphQLError)) {
    if (isPlatformError(original)) return original;
    return errors.internal(original);
  }
  if (original instanceof GraphQLError && original !== error) return platformErrorOf(original);
  if (error.message.startsWith('Syntax Error')) return graphqlErrors.parseFailed(error.message);
  if (error.extensions?.code === 'GRAPHQL_PARSE_FAILED') return graphqlErrors.parseFailed(error.message);
  return graphqlErrors.validationFailed(error.message);
}

/**
 * The error as the client sees it: the coded error's message and extensions, where it happened.
 * A request error (the document was refused before it ran) also tells GraphQL Yoga its status:
 * with `spec`, Yoga answers it under `application/graphql-response+json` only, as GraphQL over
 * HTTP asks (200 stays the answer for `application/json`), and strips it from the body.
 */
export function toClientError(
  error: GraphQLError | PlatformError,
  requestId: string,
  options: { requestError?: boolean } = {},
): GraphQLError {
  const platformError = platformErrorOf(error);
  const located = error instanceof GraphQLError ? error : null;
  const extensions: GraphQLErrorExtensions = {
    code: platformError.code,
    type: platformError.type,
    hint: platformError.hint ?? null,
    param: platformError.param,
    status: platformError.status,
    request_id: requestId,
  };
  return new GraphQLError(platformError.message, {
    ...(located?.nodes ? { nodes: located.nodes } : {}),
    ...(located?.source ? { source: located.source } : {}),
    ...(located?.positions ? { positions: located.positions } : {}),
    ...(located?.path ? { path: located.path } : {}),
    extensions: {
      ...extensions,
      ...(options.requestError ? { http: { status: platformError.status, spec: true } } : {}),
    },
  });
}

/** The internal errors of a result, for the log: what the client was not told. */
export function internalCauses(clientErrors: readonly GraphQLError[]): unknown[] {
  return clientErrors
    .map((error) => error.originalError)
    .filter(
      (original) =>
        original !== undefined && !isPlatformError(original) && !(original instanceof GraphQLError),
    );
}
