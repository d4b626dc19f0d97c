import type { FastifyInstance, HTTPMethods } from 'fastify';

/**
 * The methods some route answers on each path, learnt from the registered routes: a request whose
 * path exists for other methods is a 405 with `Allow`, not a 404. Parametric and wildcard paths
 * match through the router itself (`findRoute` matches a concrete URL as a request would).
 */
export class RouteMethods {
  readonly #methods = new Set<string>();

  /** Registers on `app` before any route, so every route's methods are seen. */
  constructor(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      const methods: readonly HTTPMethods[] = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) this.#methods.add(method.toUpperCase());
    });
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
