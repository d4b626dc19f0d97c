import { ClientError, GraphQLClient } from 'graphql-request';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A GraphQL error as the platform sends it: the REST error's fields in `extensions`. */
export interface PlatformGraphQLError {
  message: string;
  path?: Array<string | number>;
  extensions: {
    code: string;
    type: string;
    hint: string | null;
    param: string | null;
    status: number;
    request_id: string;
  };
}

export interface GraphQLAnswer<Data> {
  data: Data | null | undefined;
  errors: PlatformGraphQLError[];
  status: number;
}

/**
 * Asks /graphql with graphql-request (a real GraphQL-over-HTTP client) as the key `secret`;
 * answers the data and the errors without throwing on GraphQL errors.
 */
export async function ask<Data = Record<string, unknown>>(
  baseUrl: string,
  secret: string,
  document: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLAnswer<Data>> {
  const client = new GraphQLClient(`${baseUrl}/graphql`, {
    headers: { authorization: `Bearer ${secret}` },
    errorPolicy: 'all',
  });
  try {
    const answer = await client.rawRequest<Data>(document, variables);
    return {
      data: answer.data,
      errors: (answer.errors ?? []) as unknown as PlatformGraphQLError[],
      status: answer.status,
    };
  } catch (error) {
    // A document refused before it ran is a 400 under application/graphql-response+json (which
    // graphql-request asks for first); the client throws it, with the GraphQL errors kept.
    if (!(error instanceof ClientError) || !error.response.errors) throw error;
    return {
      data: error.response.data as Data | undefined,
      errors: error.response.errors as unknown as PlatformGraphQLError[],
      status: error.response.status,
    };
  }
}

/** The codes of an answer's errors. */
export const codesOf = (answer: { errors: PlatformGraphQLError[] }) =>
  answer.errors.map((error) => error.extensions.code);

/** A graphql-ws client over `ws`, authenticated by header and/or connectionParams. */
export function webSocketClient(
  baseUrl: string,
  options: { header?: string; connectionParams?: Record<string, unknown> },
): Client {
  const url = `${baseUrl.replace(/^http/, 'ws')}/graphql`;
  return createClient({
    url,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, options.header ? { headers: { authorization: options.header } } : {});
      }
    },
    retryAttempts: 0,
    lazy: true,
    ...(options.connectionParams ? { connectionParams: options.connectionParams } : {}),
  });
}

/** Collects every item of a subscription (or the result of a query) until it completes or fails. */
export function collect<Item>(
  client: Client,
  request: { query: string; variables?: Record<string, unknown> },
): { items: Item[]; done: Promise<{ error?: unknown }>; stop: () => void } {
  const items: Item[] = [];
  let stop: () => void = () => {};
  const done = new Promise<{ error?: unknown }>((resolve) => {
    stop = client.subscribe<Item>(request, {
      next: (value) => {
        items.push(value as Item);
      },
      error: (error) => resolve({ error }),
      complete: () => resolve({}),
    });
  });
  return { items, done, stop: () => stop() };
}
