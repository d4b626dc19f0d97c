import { PlatformError } from '../../errors/index.ts';

/** Coded errors of agent tools and MCP servers (all the caller's to fix: 4xx naming the field). */
export const toolErrors = {
  unknownTool(name: string, param: string): PlatformError {
    return new PlatformError({
      code: 'TOOL_NOT_FOUND',
      message: `The tool '${name}' does not exist for this organization.`,
      param,
      hint: 'List the available tools with GET /v1/tools; MCP tools are named <server>__<tool>.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  alreadyExists(kind: string, name: string): PlatformError {
    return new PlatformError({
      code: 'ALREADY_EXISTS',
      message: `There is already ${kind} named '${name}'.`,
      param: 'name',
      hint: 'Choose another name, or delete the existing one first.',
      status: 409,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  mcpServerUnavailable(server: string, detail: string): PlatformError {
    return new PlatformError({
      code: 'MCP_SERVER_UNAVAILABLE',
      message: `The MCP server '${server}' could not be reached: ${detail}`,
      param: 'tools',
      hint: 'Check that the server is running and reachable, or remove its tools from the request.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
};
