import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../support/index.ts';
import type { ToolExecutionContext } from '../../tool-contract.ts';
import type { HostResolver } from '../network/destination-guard.ts';
import { createNetworkAllowlist, emptyAllowlist } from '../network/network-allowlist.ts';
import { createCalculatorTool } from './calculator-tool.ts';
import { createCurrentTimeTool } from './current-time-tool.ts';
import { createHttpGetTool } from './http-get-tool.ts';
import { createKnowledgeSearchTool, noKnowledgeSearch } from './knowledge-search-tool.ts';

const context: ToolExecutionContext = {
  organizationId: 'org_test',
  runId: 'run_1',
  stepKey: 'agent-1/tool-1',
  signal: new AbortController().signal,
};

const fixedClock: Clock = {
  now: () => Date.parse('2025-07-14T10:30:00Z'),
  sleep: async () => {},
};

describe('calculator', () => {
  it('evaluates and reports errors to the model', async () => {
    const tool = createCalculatorTool();
    expect(await tool.execute('{"expression":"(1250 * 0.075) / 12"}', context)).toEqual({
      ok: true,
      output: '7.8125',
    });
    expect(await tool.execute({ expression: '2 / (1 - 1)' }, context)).toEqual({
      ok: false,
      error: 'Division by zero.',
    });
    expect(await tool.execute({ expression: 'require("fs")' }, context)).toMatchObject({ ok: false });
  });
});

describe('current_time', () => {
  it('tells the time of the injected clock in an IANA zone', async () => {
    const tool = createCurrentTimeTool(fixedClock);
    const paris = await tool.execute({ time_zone: 'Europe/Paris' }, context);
    expect(paris.ok).toBe(true);
    expect(JSON.parse((paris as { output: string }).output)).toEqual({
      time_zone: 'Europe/Paris',
      local_time: '2025-07-14T12:30:00+02:00',
      utc_offset: '+02:00',
      weekday: 'Monday',
      utc_time: '2025-07-14T10:30:00.000Z',
      unix_seconds: 1752489000,
    });
    const utc = await tool.execute({}, context);
    expect(JSON.parse((utc as { output: string }).output).local_time).toBe('2025-07-14T10:30:00+00:00');
    expect(await tool.execute({ time_zone: 'Mars/Olympus' }, context)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/'Mars\/Olympus' is not an IANA time zone/),
    });
  });
});

describe('knowledge_search', () => {
  it('says clearly that no knowledge base is configured', async () => {
    const tool = createKnowledgeSearchTool(noKnowledgeSearch);
    expect(await tool.execute({ query: 'refund policy' }, context)).toEqual({
      ok: false,
      error: expect.stringMatching(/No knowledge base is configured/),
    });
  });

  it('formats passages from a configured search, each cited with its source and offsets', async () => {
    const tool = createKnowledgeSearchTool({
      async search(request) {
        return {
          configured: true,
          passages: [
            {
              knowledgeBaseId: 'kb_1',
              documentId: 'doc_1',
              externalId: `policy-${request.organizationId}`,
              chunkId: 'chunk_1',
              title: 'Refunds',
              text: 'Refunds within 30 days.',
              start: 0,
              end: 23,
              score: 0.9,
            },
            {
              knowledgeBaseId: 'kb_1',
              documentId: 'doc_2',
              externalId: null,
              chunkId: 'chunk_2',
              title: '',
              text: 'Shipping is free.',
              start: 40,
              end: 57,
              score: 0.5,
            },
          ],
        };
      },
    });
    expect(await tool.execute({ query: 'refund' }, context)).toEqual({
      ok: true,
      output:
        '[1] Refunds (policy-org_test, chars 0–23)\nRefunds within 30 days.\n\n[2] Untitled (doc_2, chars 40–57)\nShipping is free.',
    });
  });

  it('searches exactly the bound knowledge bases, narrows to one of them and never widens', async () => {
    const searched: (readonly string[] | null)[] = [];
    const tool = createKnowledgeSearchTool(
      {
        async search(request) {
          searched.push(request.knowledgeBases);
          return { configured: true, passages: [] };
        },
      },
      undefined,
      ['kb_a', 'kb_b'],
    );
    expect(tool.definition.parameters).toMatchObject({
      properties: { knowledge_base: { enum: ['kb_a', 'kb_b'] } },
    });
    expect(await tool.execute({ query: 'q' }, context)).toEqual({
      ok: true,
      output: 'No passage matched the query.',
    });
    await tool.execute({ query: 'q', knowledge_base: 'kb_b' }, context);
    expect(await tool.execute({ query: 'q', knowledge_base: 'kb_other' }, context)).toMatchObject({
      ok: false,
    });
    expect(searched).toEqual([['kb_a', 'kb_b'], ['kb_b']]);
  });

  it('leaves an unbound search to the implementation and gives each attempt its own request id', async () => {
    const requests: { knowledgeBases: readonly string[] | null; requestId: string }[] = [];
    const tool = createKnowledgeSearchTool({
      async search(request) {
        requests.push({ knowledgeBases: request.knowledgeBases, requestId: request.requestId });
        return { configured: true, passages: [] };
      },
    });
    await tool.execute({ query: 'q' }, { ...context, attempt: 2 });
    await tool.execute({ query: 'q', knowledge_base: 'kb_x' }, context);
    expect(requests).toEqual([
      { knowledgeBases: null, requestId: 'swarm_run_1_agent-1/tool-1_2' },
      { knowledgeBases: ['kb_x'], requestId: 'swarm_run_1_agent-1/tool-1_1' },
    ]);
  });
});

describe('http_get', () => {
  let server: Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits += 1;
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/to-metadata') {
        response.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/iam' }).end();
      } else if (url.pathname === '/to-private') {
        response.writeHead(302, { location: 'http://10.0.0.5/admin' }).end();
      } else if (url.pathname === '/page') {
        response.setHeader('content-type', 'text/html; charset=utf-8');
        response.end(
          '<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Title</h1><p>Hello &amp; <a href="/x">welcome</a></p></body></html>',
        );
      } else if (url.pathname === '/image') {
        response.setHeader('content-type', 'image/png');
        response.end(Buffer.alloc(100));
      } else {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ big: 'y'.repeat(5000) }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const toLoopback: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
  const tool = (allowlist = emptyAllowlist, resolveHost = toLoopback) =>
    createHttpGetTool({ allowlist, resolveHost, maxResponseBytes: 1000, maxRedirects: 3 });

  it.each([
    ['http://127.0.0.1:PORT/page', /loopback address/],
    ['http://[::1]:PORT/page', /loopback or unspecified/],
    ['http://169.254.169.254/latest/meta-data/', /cloud metadata/],
    ['http://10.1.2.3/', /private or reserved/],
    ['http://internal.example:PORT/page', /internal\.example resolves to 127\.0\.0\.1, a loopback address/],
  ])('refuses %s', async (url, message) => {
    hits = 0;
    const result = await tool().execute({ url: url.replace('PORT', String(port)) }, context);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(message) });
    expect(hits).toBe(0);
  });

  it('fetches an allowlisted address, as text, within the size limit', async () => {
    const allowed = tool(createNetworkAllowlist(['127.0.0.1']));
    const page = await allowed.execute({ url: `http://127.0.0.1:${port}/page` }, context);
    expect(page).toEqual({
      ok: true,
      output: 'HTTP 200 OK\ncontent-type: text/html; charset=utf-8\n\nTitle\n\nHello & welcome (/x)',
    });
    const json = await allowed.execute({ url: `http://127.0.0.1:${port}/json` }, context);
    expect((json as { output: string }).output).toMatch(/\[truncated after 1000 bytes\]$/);
    const image = await allowed.execute({ url: `http://named.test:${port}/image` }, context);
    expect(image).toMatchObject({
      ok: true,
      output: expect.stringMatching(/binary content of type image\/png omitted/),
    });
  });

  it('refuses redirects to metadata and private addresses even from an allowlisted host', async () => {
    const allowed = tool(createNetworkAllowlist(['127.0.0.1']));
    expect(await allowed.execute({ url: `http://127.0.0.1:${port}/to-metadata` }, context)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/169\.254\.169\.254 is a link-local \(cloud metadata\) address/),
    });
    expect(await allowed.execute({ url: `http://127.0.0.1:${port}/to-private` }, context)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/10\.0\.0\.5 is a private or reserved address/),
    });
  });

  it('validates its argument', async () => {
    expect(await tool().execute({ url: 'not a url' }, context)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not an absolute URL/),
    });
    expect(await tool().execute({ href: 'x' }, context)).toMatchObject({ ok: false });
  });
});
