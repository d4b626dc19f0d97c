import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** A small MCP server with the official SDK: `add`, `shout` (a tool-level error on empty text) and `whoami`. */
export function buildTestMcpServer(label: string): McpServer {
  const server = new McpServer({ name: `test-${label}`, version: '1.0.0' });
  server.registerTool(
    'add',
    {
      description: 'Adds two numbers.',
      inputSchema: { a: z.number(), b: z.number() },
    },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool(
    'shout',
    { description: 'Upper-cases text.', inputSchema: { text: z.string() } },
    async ({ text }) =>
      text === ''
        ? { isError: true, content: [{ type: 'text', text: 'nothing to shout' }] }
        : { content: [{ type: 'text', text: text.toUpperCase() }] },
  );
  server.registerTool('whoami', { description: 'Names the server.' }, async () => ({
    content: [{ type: 'text', text: `${label} secret=${process.env.KIMI_TEST_SECRET ?? 'absent'}` }],
  }));
  return server;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** A stateless streamable HTTP MCP server on 127.0.0.1; records the headers it was sent. */
export async function startHttpMcpServer(): Promise<{
  url: string;
  headersSeen: Record<string, string | string[] | undefined>[];
  close(): Promise<void>;
}> {
  const headersSeen: Record<string, string | string[] | undefined>[] = [];
  const http: Server = createServer(async (request, response) => {
    headersSeen.push(request.headers);
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    const server = buildTestMcpServer('http');
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, await readJson(request));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    headersSeen,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
