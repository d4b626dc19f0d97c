/**
 * The OpenAPI document: every route the app serves is in it, it is a valid OpenAPI 3.1 document (by
 * a standard validator), every example matches its schema, the committed copy is current, and /docs
 * renders it in a real browser.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  isBodyContract,
  newSchemaValidator,
  openApiDocumentOf,
  toStandaloneJsonSchema,
} from '../src/http/openapi/index.ts';
import { committedOpenApiDocument, serializeOpenApiDocument } from './support/openapi-file.ts';
import { chromiumAvailable, chromiumPath } from './support/services.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp({ listen: true });
});

afterAll(async () => {
  await testApp.close();
});

function routes() {
  return testApp.app.registeredRoutes().filter((route) => route.method !== 'HEAD');
}

function validates(schema: z.ZodType, side: 'input' | 'output', value: unknown): string[] {
  const validate = newSchemaValidator().compile(toStandaloneJsonSchema(schema, side));
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || 'body'} ${error.message}`);
}

describe('the OpenAPI document', () => {
  it('describes every registered route', () => {
    const undocumented = routes()
      .filter((route) => route.contract === undefined)
      .map((route) => `${route.method} ${route.url}`);
    expect(undocumented).toEqual([]);
    const document = openApiDocumentOf(testApp.app);
    const operations = Object.values(document.paths).reduce(
      (count, path) => count + Object.keys(path).length,
      0,
    );
    expect(operations).toBe(routes().length);
  });

  it('is valid OpenAPI 3.1 by @apidevtools/swagger-parser', async () => {
    const document = openApiDocumentOf(testApp.app);
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('has an example for every JSON body, and each example matches its schema', () => {
    const problems: string[] = [];
    for (const route of routes()) {
      const contract = route.contract;
      if (!contract) continue;
      const name = `${route.method} ${route.url}`;
      if (contract.body && !isBodyContract(contract.body)) {
        if (contract.bodyExample === undefined) problems.push(`${name}: the request body has no example`);
        else
          for (const problem of validates(contract.body, 'input', contract.bodyExample))
            problems.push(`${name} request example: ${problem}`);
      }
      for (const alternative of contract.alternativeBodies ?? []) {
        if (alternative.contentType !== 'application/json') continue;
        if (alternative.example === undefined) problems.push(`${name}: the JSON request body has no example`);
        else
          for (const problem of validates(alternative.schema, 'input', alternative.example))
            problems.push(`${name} JSON request example: ${problem}`);
      }
      for (const [status, response] of Object.entries(contract.responses)) {
        if (!response.schema) continue;
        if (response.example === undefined) problems.push(`${name} ${status}: the response has no example`);
        else
          for (const problem of validates(response.schema, 'output', response.example))
            problems.push(`${name} ${status} example: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('is served at /openapi.json and committed as docs/openapi.json (run `npm run openapi` after changing a route)', async () => {
    const response = await fetch(`${testApp.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const served = await response.json();
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocumentOf(testApp.app))));
    expect(await committedOpenApiDocument()).toBe(serializeOpenApiDocument(served));
  });

  it('serves the docs page and its assets from this server, and refuses other files', async () => {
    const page = await fetch(`${testApp.baseUrl}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/docs\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) expect((await fetch(`${testApp.baseUrl}${asset}`)).status, asset).toBe(200);
    const other = await fetch(`${testApp.baseUrl}/docs/assets/package.json`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe.runIf(chromiumAvailable())('/docs in a real browser', () => {
  it('renders the document and any operation, loading nothing from elsewhere', async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(testApp.baseUrl) && !request.url().startsWith('data:'))
          foreign.push(request.url());
      });
      await page.goto(`${testApp.baseUrl}/docs`);
      await page.waitForSelector('.opblock-tag', { timeout: 20_000 });
      const title = await page.textContent('.info .title');
      expect(title).toContain('Kimi Platform API');
      // Tags start collapsed (the document is large); each opens to show its operations.
      const document = openApiDocumentOf(testApp.app);
      const tags = (document.tags as { name: string }[]).map((tag) => tag.name);
      expect(await page.locator('.opblock-tag').count()).toBe(tags.length);
      let rendered = 0;
      for (const tag of tags) {
        const section = page.locator('.opblock-tag-section', { has: page.locator(`[data-tag="${tag}"]`) });
        await page.locator(`.opblock-tag[data-tag="${tag}"]`).click();
        await section.locator('.opblock').first().waitFor({ timeout: 10_000 });
        rendered += await section.locator('.opblock').count();
        await page.locator(`.opblock-tag[data-tag="${tag}"]`).click();
      }
      expect(rendered).toBe(routes().length);
      // A deep link opens one operation, rendered with its parameters.
      const linked = await browser.newPage();
      await linked.goto(`${testApp.baseUrl}/docs#/Knowledge%20bases/searchKnowledgeBase`);
      const operation = linked.locator('#operations-Knowledge_bases-searchKnowledgeBase');
      await operation.locator('.opblock-body').waitFor({ timeout: 20_000 });
      expect(await operation.textContent()).toContain('knowledgeBaseId');
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
