import type { Tool } from '../../tool-contract.ts';
import { defineTool } from '../define-tool.ts';
import type { HostResolver } from '../network/destination-guard.ts';
import { createGuardedHttpClient, describeFetchFailure, readLimitedText } from '../network/guarded-fetch.ts';
import type { NetworkAllowlist } from '../network/network-allowlist.ts';
import type { ToolLimits } from '../tool-limits.ts';
import { htmlToText } from './html-to-text.ts';

export interface HttpGetOptions {
  /** W3C trace context of the active span, added to every request (default none). */
  traceHeaders?: () => Readonly<Record<string, string>>;
  allowlist: NetworkAllowlist;
  resolveHost: HostResolver;
  /** Bytes of the body read at most; the rest is not downloaded. */
  maxResponseBytes: number;
  maxRedirects: number;
}

const textualType =
  /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ld\+json|[\w.+-]*\+json|[\w.+-]*\+xml)|image\/svg\+xml)/i;

/**
 * `http_get`: fetches a public web page or API for the model. Guarded against SSRF (see
 * network/guarded-fetch.ts): non-public addresses are refused unless the organisation's allowlist
 * names them; redirects are re-checked per hop; the body is cut at the size limit; HTML becomes text.
 */
export function createHttpGetTool(options: HttpGetOptions, limits?: ToolLimits): Tool {
  return defineTool(
    {
      name: 'http_get',
      description:
        'Fetches a URL with HTTP GET and returns the status, content type and body (HTML converted to text). ' +
        'Only public internet addresses can be reached.',
      parameters: {
        type: 'object',
        properties: {
          url: {
            type: 'string',
            minLength: 1,
            maxLength: 2048,
            description: 'An absolute http:// or https:// URL.',
          },
        },
        required: ['url'],
        additionalProperties: false,
      },
    },
    async ({ url }, context) => {
      let target: URL;
      try {
        target = new URL(String(url));
      } catch {
        return { ok: false, error: `Invalid value for 'url': '${String(url)}' is not an absolute URL.` };
      }
      const client = createGuardedHttpClient({
        allowlist: options.allowlist,
        resolveHost: options.resolveHost,
        maxRedirects: options.maxRedirects,
        ...(options.traceHeaders ? { traceHeaders: options.traceHeaders } : {}),
      });
      try {
        const response = await client.fetch(target, {
          signal: context.signal,
          headers: {
            accept: 'text/html, application/json, text/plain;q=0.9, */*;q=0.5',
            'user-agent': 'kimi-platform-agent/1',
          },
        });
        const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
        const head = `HTTP ${response.status} ${response.statusText}\ncontent-type: ${contentType}\n\n`;
        if (!textualType.test(contentType)) {
          await response.body?.cancel();
          return `${head}[binary content of type ${contentType} omitted]`;
        }
        const { text, truncated } = await readLimitedText(response, options.maxResponseBytes);
        const body = /html/i.test(contentType) ? htmlToText(text) : text;
        const note = truncated ? `\n[truncated after ${options.maxResponseBytes} bytes]` : '';
        return `${head}${body}${note}`;
      } catch (error) {
        return { ok: false, error: `GET ${target.href} failed: ${describeFetchFailure(error)}` };
      } finally {
        await client.close();
      }
    },
    limits,
  );
}
