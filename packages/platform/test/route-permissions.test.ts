/**
 * Every route declares the permission it needs, and the declaration is enforced: a key whose
 * scopes lack a route's permission is refused on every route, before the route runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPermission } from '../src/identity/index.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;
let organizationId: string;
let scopedSecret: string;

const publicRoutes = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/assets/:file',
  'POST /v1/invitations/accept',
  // Sign-in and the session routes authenticate themselves (the state and binding cookie, the refresh cookie).
  'GET /v1/auth/sso/:organizationId/start',
  'GET /v1/auth/sso/callback',
  'POST /v1/auth/refresh',
  'POST /v1/auth/sign-out',
]);

beforeAll(async () => {
  testApp = await startTestApp();
  const organization = await testApp.app.inject({
    method: 'POST',
    url: '/v1/admin/organizations',
    headers: { authorization: `Bearer ${testApp.adminKey}` },
    payload: { name: 'scoped' },
  });
  organizationId = organization.json().id;
  const key = await testApp.app.inject({
    method: 'POST',
    url: `/v1/admin/organizations/${organizationId}/keys`,
    headers: { authorization: `Bearer ${testApp.adminKey}` },
    payload: { name: 'usage only', role: 'admin', scopes: ['usage:read'] },
  });
  expect(key.statusCode, key.body).toBe(201);
  expect(key.json().scopes).toEqual(['usage:read']);
  scopedSecret = key.json().secret;
});

afterAll(async () => {
  await testApp.close();
});

function routes() {
  return testApp.app.registeredRoutes().filter((route) => route.method !== 'HEAD');
}

describe('route permissions', () => {
  it('are declared by every registered route', () => {
    const undeclared = routes()
      .filter((route) => route.permission === undefined)
      .map((route) => `${route.method} ${route.url}`);
    expect(undeclared).toEqual([]);
    for (const route of routes()) {
      const permission = route.permission!;
      const valid = permission === 'public' || permission === 'authenticated' || isPermission(permission);
      expect(valid, `${route.method} ${route.url}: ${permission}`).toBe(true);
      expect(permission === 'public', `${route.method} ${route.url}`).toBe(
        publicRoutes.has(`${route.method} ${route.url}`),
      );
    }
  });

  it('refuse a key without the route permission on every route, with the scope named', async () => {
    const guarded = routes().filter(
      (route) => route.permission !== 'public' && route.permission !== 'authenticated',
    );
    expect(guarded.length).toBeGreaterThan(50);
    for (const route of guarded) {
      const url = route.url.replaceAll(/:(\w+)/g, (_match, name: string) =>
        name === 'organizationId' ? organizationId : 'x',
      );
      const response = await testApp.app.inject({
        method: route.method as 'GET',
        url: url.replace('*', 'x'),
        headers: { authorization: `Bearer ${scopedSecret}` },
      });
      if (route.permission === 'usage:read') {
        expect(response.statusCode, `${route.method} ${route.url}`).not.toBe(403);
        continue;
      }
      expect(response.statusCode, `${route.method} ${route.url}: ${response.body}`).toBe(403);
      const error = response.json().error;
      expect(error.code ?? response.json().error.type).toBeDefined();
      expect(response.body).toContain(route.permission);
    }
  });
});
