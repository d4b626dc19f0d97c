import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { buildTestMcpServer } from './mcp-test-server.ts';

// A stdio MCP server for tests: started by the platform as an operator-configured command.
const server = buildTestMcpServer(process.env.MCP_FIXTURE_LABEL ?? 'stdio');
await server.connect(new StdioServerTransport());
