// why: graphql-yoga's types reference the DOM library, whose ReadableStream lacks the async
// iterator Node's has (and the rest of the code relies on); this adds it back for the DOM types.
/// <reference lib="dom.asynciterable" />
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ExecutionResult, GraphQLError, parse } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Platform } from '../../platform/index.ts';
import { authenticate, callerOf, readSecret } from '../authentication.ts';
import { abortOnClientClose } from '../request-abort.ts';
import { checkRoutePermission, requires } from '../route-permission.ts';
import { type GraphQLContext, operationContext } from './graphql-context.ts';
import { graphqlGetContract, graphqlPostContract } from './graphql-contracts.ts';
import { CodedGraphQLError, graphqlErrors, internalCauses, toClientError } from './graphql-errors.ts';
import {
  costProblem,
  defaultGraphQLLimits,
  type GraphQLLimits,
  listFieldDefaults,
  shapeProblem,
} from './graphql-limits.ts';
import { checkGraphQLRequest } from './graphql-request.ts';
import { createGraphQLSchema } from './graphql-schema.ts';
import { graphqlWebSocketHandler } from './graphql-websocket.ts';

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * The token limit while parsing; depth and aliases before validation (cached with it, as they
 * depend on the document alone); the cost before execution, with the variables.
 */
function limitsPlugin(listDefaults: ReadonlyMap<string, number>, limits: GraphQLLimits): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source) => {
        try {
          return parse(source, { maxTokens: limits.maximumTokens });
        } catch (error) {
          if (error instanceof GraphQLError && error.message.includes('tokens. Parsing aborted')) {
            throw new CodedGraphQLError(
              graphqlErrors.limitExceeded(
                'QUERY_TOO_LARGE',
                `The query has more than ${limits.maximumTokens} tokens; the token limit is ${limits.maximumTokens}.`,
                'Send a shorter document, or split it into several requests.',
              ),
            );
          }
          throw error;
        }
      });
    },
    onValidate({ params, setResult }) {
      const problem = shapeProblem(params.documentAST, listDefaults, limits);
      if (problem) setResult([new CodedGraphQLError(problem)]);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const problem = costProblem(
        args.document,
        { name: args.operationName, variables: args.variableValues },
        listDefaults,
        limits,
      );
      if (problem) setResultAndStopExecution({ errors: [new CodedGraphQLError(problem)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if ((args.contextValue as Partial<GraphQLContext>).transport === 'http') {
        setResultAndStopExecution({
          errors: [new CodedGraphQLError(graphqlErrors.subscriptionNeedsWebSocket())],
        });
        return;
      }
      const problem = costProblem(
        args.document,
        { name: args.operationName, variables: args.variableValues },
        listDefaults,
        limits,
      );
      if (problem) setResultAndStopExecution({ errors: [new CodedGraphQLError(problem)] });
    },
  };
}

/** Every error leaves with its code, hint and the request id; internal causes go to the log only. */
function errorPlugin(platform: Platform): Plugin<GraphQLContext> {
  const format = (result: ExecutionResult, requestId: string): ExecutionResult => {
    if (!result.errors || result.errors.length === 0) return result;
    for (const cause of internalCauses(result.errors)) {
      platform.logger.error({ err: cause, requestId }, 'graphql resolver failed');
    }
    // No `data`: the document was refused before it ran (parse, validation, a limit).
    const requestError = !('data' in result);
    return {
      ...result,
      errors: result.errors.map((error) => toClientError(error, requestId, { requestError })),
    };
  };
  return {
    onResultProcess({ result, setResult, serverContext }) {
      const requestId = (serverContext as Partial<GraphQLContext>).requestId ?? 'unknown';
      if (isAsyncIterable(result)) {
        setResult(
          (async function* () {
            for await (const item of result) yield format(item, requestId);
          })(),
        );
      } else if (Array.isArray(result)) {
        setResult(result.map((item) => format(item, requestId)));
      } else {
        setResult(format(result as ExecutionResult, requestId));
      }
    },
  };
}

/**
 * `/graphql`: POST and GET (GraphQL over HTTP, served by GraphQL Yoga) and the WebSocket upgrade
 * of GET (graphql-ws), over the same services as REST. Requests authenticate as every REST
 * request does (route permission `authenticated`; each field checks its own permission); only an
 * upgrade without a key is let through, to authenticate in its ConnectionInit.
 */
export async function registerGraphQLSurface(
  app: FastifyInstance,
  platform: Platform,
  limits: GraphQLLimits = defaultGraphQLLimits,
): Promise<void> {
  const schema = createGraphQLSchema(platform);
  const yoga = createYoga<GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    batching: false,
    maskedErrors: false,
    logging: false,
    plugins: [limitsPlugin(listFieldDefaults(schema), limits), errorPlugin(platform)],
  });

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    checkGraphQLRequest(request);
    const context = operationContext(callerOf(request), {
      requestId: request.id,
      startedAt: request.startedAt,
      signal: abortOnClientClose(reply),
      transport: 'http',
    });
    const response = await yoga.handleNodeRequestAndResponse(request, reply, context);
    response.headers.forEach((value, key) => {
      reply.header(key, value);
    });
    reply.status(response.status);
    return reply.send(response.body);
  };
  const webSocket = graphqlWebSocketHandler(yoga as never, platform);

  await app.register(async (graphql) => {
    graphql.addHook('onRequest', async (request) => {
      // An upgrade without a key authenticates in its ConnectionInit (see graphql-websocket.ts).
      if (request.ws && readSecret(request) === null) return;
      await authenticate(request, platform);
      checkRoutePermission(request);
    });
    graphql.post('/graphql', requires('authenticated', graphqlPostContract), serve);
    graphql.route({
      method: 'GET',
      url: '/graphql',
      ...requires('authenticated', graphqlGetContract),
      handler: serve,
      wsHandler: webSocket,
    });
  });
}
