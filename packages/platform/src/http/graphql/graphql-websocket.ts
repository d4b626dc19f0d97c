import type { WebSocket } from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode, makeServer, type SubscribePayload } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { errors, isPlatformError, type PlatformError } from '../../errors/index.ts';
import { csrfHeaderName } from '../../identity/sessions/index.ts';
import type { Platform } from '../../platform/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { authenticate } from '../authentication.ts';
import { toPlatformError } from '../error-handler.ts';
import { cookieSettingsOf, cookiesOf } from '../sign-in/cookie-settings.ts';
import { operationContext } from './graphql-context.ts';
import { internalCauses, toClientError } from './graphql-errors.ts';
import { checkRequestSize } from './graphql-request.ts';

type Yoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

interface ConnectionExtra {
  readonly socket: WebSocket;
  readonly request: FastifyRequest;
}

/** The WebSocket close code a refused connection gets for the HTTP status REST answers with. */
function closeCodeOf(error: PlatformError): number {
  if (error.status === 401) return CloseCode.Unauthorized;
  if (error.status === 403) return CloseCode.Forbidden;
  if (error.status === 429) return 4429;
  return error.status >= 500 ? CloseCode.InternalServerError : CloseCode.BadRequest;
}

/** `Bearer sk-…` or the bare secret, from `connectionParams.authorization`. */
function connectionSecret(params: ConnectionParams): string | null {
  const value = params?.authorization ?? params?.Authorization;
  if (typeof value !== 'string' || value.trim() === '') return null;
  return /^Bearer\s+/i.test(value.trim()) ? value.trim() : `Bearer ${value.trim()}`;
}

type ConnectionParams = Readonly<Record<string, unknown>> | undefined;

/**
 * A signed-in browser's session cookie. A socket carries mutations, and browsers send cookies on
 * cross-site upgrades, so the session must repeat its CSRF token as a POST would: in
 * `connectionParams['x-csrf-token']` (a page of another site cannot read it).
 */
async function authenticateSessionSocket(
  request: FastifyRequest,
  params: ConnectionParams,
  platform: Platform,
): Promise<AuthContext> {
  const { names } = cookieSettingsOf(platform.config);
  const cookies = request.headers.cookie ? cookiesOf(request) : null;
  const accessToken = cookies?.get(names.accessToken);
  if (!accessToken) throw errors.apiKeyMissing();
  const csrfHeader = params?.[csrfHeaderName];
  const context = await platform.signIn.authenticateSession({
    accessToken,
    method: 'POST',
    csrfCookie: cookies?.get(names.csrfToken),
    csrfHeader: typeof csrfHeader === 'string' ? csrfHeader : undefined,
    origin: { clientAddress: request.ip, requestId: request.id },
  });
  request.auth = context;
  return context;
}

/**
 * graphql-ws (the `graphql-transport-ws` protocol) on a @fastify/websocket socket. The caller is
 * the upgrade's when it carried a key (authenticated like any request, a bad one refused with
 * the REST status); else ConnectionInit authenticates it: `connectionParams.authorization` by the
 * same function as REST, or a session cookie with its CSRF token. A refusal closes the socket
 * with 4401/4403 (4429 when throttled) and the REST error code as the reason.
 */
export function graphqlWebSocketHandler(yoga: Yoga, platform: Platform) {
  const callers = new WeakMap<object, { caller: AuthContext; aborted: AbortController }>();
  const server = makeServer<Record<string, unknown> | undefined, ConnectionExtra>({
    onConnect: async (context) => {
      const { request, socket } = context.extra;
      let caller = request.auth;
      if (!caller) {
        const secret = connectionSecret(context.connectionParams);
        try {
          if (secret) {
            // why the header: the credential is checked exactly as REST checks it, failure counting included.
            request.headers.authorization = secret;
            caller = await authenticate(request, platform);
          } else {
            caller = await authenticateSessionSocket(request, context.connectionParams, platform);
          }
        } catch (error) {
          const refusal = isPlatformError(error) ? error : toPlatformError(error, 0);
          socket.close(closeCodeOf(refusal), refusal.code);
          return false;
        }
      }
      const aborted = new AbortController();
      socket.once('close', () => aborted.abort(new Error('the client closed the connection')));
      callers.set(context, { caller, aborted });
      return true;
    },
    onSubscribe: async (context, _id, payload: SubscribePayload) => {
      const connection = callers.get(context);
      const requestId = context.extra.request.id;
      if (!connection) return undefined;
      const sizeProblem = checkRequestSize(payload);
      if (sizeProblem) return [toClientError(sizeProblem, requestId)];
      const initial = {
        ...operationContext(connection.caller, {
          requestId,
          startedAt: performance.now(),
          signal: connection.aborted.signal,
          transport: 'websocket',
        }),
        params: payload,
      };
      const enveloped = yoga.getEnveloped(initial);
      let document: ExecutionArgs['document'];
      try {
        document = enveloped.parse(payload.query);
      } catch (error) {
        return [toClientError(error as GraphQLError, requestId)];
      }
      const validationErrors = enveloped.validate(enveloped.schema, document);
      if (validationErrors.length > 0) {
        return validationErrors.map((error: GraphQLError) => toClientError(error, requestId));
      }
      return {
        schema: enveloped.schema,
        document,
        operationName: payload.operationName ?? null,
        variableValues: payload.variables ?? null,
        contextValue: await enveloped.contextFactory(),
        rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
      };
    },
    execute: (args) =>
      (args.rootValue as { execute: (args: ExecutionArgs) => unknown }).execute(args) as never,
    subscribe: (args) =>
      (args.rootValue as { subscribe: (args: ExecutionArgs) => unknown }).subscribe(args) as never,
    onNext: (context, _id, _payload, _args, result) => {
      if (!result.errors || result.errors.length === 0) return undefined;
      const requestId = context.extra.request.id;
      for (const cause of internalCauses(result.errors)) {
        platform.logger.error({ err: cause, requestId }, 'graphql resolver failed');
      }
      return { ...result, errors: result.errors.map((error) => toClientError(error, requestId).toJSON()) };
    },
    onError: (context, _id, _payload, errors) =>
      errors.map((error) => toClientError(error, context.extra.request.id).toJSON()),
  });

  return (socket: WebSocket, request: FastifyRequest): void => {
    const keepAlive = setInterval(() => {
      if (socket.readyState === socket.OPEN) socket.ping();
    }, 12_000);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (message: Buffer) => {
            try {
              await handle(String(message));
            } catch (error) {
              request.log.warn({ err: error }, 'graphql-ws message failed');
              socket.close(CloseCode.InternalServerError, 'INTERNAL_ERROR');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code: number, reason: Buffer) => {
      clearInterval(keepAlive);
      void closed(code, String(reason));
    });
  };
}
