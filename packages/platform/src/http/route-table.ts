import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { RouteContract } from './route-contract.ts';

/** One registered route: a method and its URL pattern (`/v1/swarms/:id`). */
export interface RegisteredRoute {
  method: string;
  url: string;
  /** The permission the route declared (see route-permission.ts); undefined when it declared none. */
  permission: string | undefined;
  /** What the route accepts and answers (see route-contract.ts); undefined when undeclared. */
  contract: RouteContract | undefined;
  /** The route's error shape when it is not OpenAI's (see error-handler.ts). */
  errorFormat: 'openai' | 'anthropic' | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app serves (HEAD twins of GET routes included), in registration order. */
    registeredRoutes(): readonly RegisteredRoute[];
  }
}

/**
 * The routes of an app, learnt as they are registered: a request whose path exists for other
 * methods is a 405 with `Allow`, not a 404, and tests can walk every route. Parametric and
 * wildcard paths match through the router itself (`findRoute` matches a concrete URL as a request
 * would).
 */
export class RouteTable {
  readonly #methods = new Set<string>();
  readonly #routes: RegisteredRoute[] = [];

  /** Registers on `app` before any route, so every route is seen. */
  constructor(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      const methods: readonly HTTPMethods[] = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        this.#methods.add(method.toUpperCase());
        const config = route.config as
          | { permission?: string; contract?: RouteContract; errorFormat?: 'openai' | 'anthropic' }
          | undefined;
        this.#routes.push({
          method: method.toUpperCase(),
          url: route.url,
          permission: config?.permission,
          contract: config?.contract,
          errorFormat: config?.errorFormat,
        });
      }
    });
    app.decorate('registeredRoutes', () => this.#routes);
  }

  /** The methods `path` (no query string) is served on, sorted; empty when no route matches it. */
  allowedFor(app: FastifyInstance, path: string): string[] {
    const allowed: string[] = [];
    for (const method of this.#methods) {
      try {
        if (app.findRoute({ method: method as HTTPMethods, url: path })) allowed.push(method);
      } catch {
        // why: a path the router cannot decode matches no route for any method.
      }
    }
    return allowed.sort();
  }
}
