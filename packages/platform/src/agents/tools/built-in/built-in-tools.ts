import type { Clock } from '../../../support/index.ts';
import type { Tool } from '../../tool-contract.ts';
import type { HostResolver } from '../network/destination-guard.ts';
import type { NetworkAllowlist } from '../network/network-allowlist.ts';
import type { ToolLimits } from '../tool-limits.ts';
import { createCalculatorTool } from './calculator-tool.ts';
import { createCurrentTimeTool } from './current-time-tool.ts';
import { createHttpGetTool } from './http-get-tool.ts';
import { createKnowledgeSearchTool, type KnowledgeSearch } from './knowledge-search-tool.ts';

/** The names of the tools every organisation has; no organisation tool may take one. */
export const builtInToolNames = ['calculator', 'current_time', 'http_get', 'knowledge_search'] as const;

export function isBuiltInToolName(name: string): boolean {
  return (builtInToolNames as readonly string[]).includes(name);
}

export interface BuiltInToolOptions {
  clock: Clock;
  allowlist: NetworkAllowlist;
  resolveHost: HostResolver;
  knowledgeSearch: KnowledgeSearch;
  /** The run's knowledge bases, which `knowledge_search` is bound to; absent or empty: unbound. */
  knowledgeBases?: readonly string[];
  maxResponseBytes: number;
  maxRedirects: number;
  limits: ToolLimits;
  /** W3C trace context of the active span, added to every request (default none). */
  traceHeaders?: () => Readonly<Record<string, string>>;
}

/** One built-in tool, set up for an organisation (its network allowlist applies to http_get). */
export function createBuiltInTool(name: string, options: BuiltInToolOptions): Tool | null {
  switch (name) {
    case 'calculator':
      return createCalculatorTool(options.limits);
    case 'current_time':
      return createCurrentTimeTool(options.clock, options.limits);
    case 'http_get':
      return createHttpGetTool(
        {
          allowlist: options.allowlist,
          resolveHost: options.resolveHost,
          maxResponseBytes: options.maxResponseBytes,
          maxRedirects: options.maxRedirects,
          ...(options.traceHeaders ? { traceHeaders: options.traceHeaders } : {}),
        },
        options.limits,
      );
    case 'knowledge_search':
      return createKnowledgeSearchTool(options.knowledgeSearch, options.limits, options.knowledgeBases);
    default:
      return null;
  }
}
