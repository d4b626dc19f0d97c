import { signWebhookPayload, webhookSignatureHeader } from '../../metering/budgets/index.ts';
import type { Clock } from '../../support/index.ts';
import type { Tool } from '../tool-contract.ts';
import { defineTool } from './define-tool.ts';
import type { HostResolver } from './network/destination-guard.ts';
import { createGuardedHttpClient, describeFetchFailure, readLimitedText } from './network/guarded-fetch.ts';
import { parseIpAddress } from './network/ip-address.ts';
import type { NetworkAllowlist } from './network/network-allowlist.ts';
import type { HttpToolTarget } from './stores/http-tool-repository.ts';
import type { ToolLimits } from './tool-limits.ts';

/** The header with the tool's name, so one endpoint can serve several tools. */
export const toolNameHeader = 'x-kimi-tool';
/** `<run id>:<step key>`: the same for every retry of one tool call, so receivers can deduplicate. */
export const idempotencyKeyHeader = 'idempotency-key';

export interface OrganizationHttpToolOptions {
  /** W3C trace context of the active span, added to every request (default none). */
  traceHeaders?: () => Readonly<Record<string, string>>;
  allowlist: NetworkAllowlist;
  resolveHost: HostResolver;
  clock: Clock;
  maxResponseBytes: number;
}

/**
 * Why a tool URL may not be called, or null: http(s) without credentials, and plain http only to a
 * destination the organisation's allowlist names (arguments must not cross the internet in clear).
 */
export function toolUrlProblem(text: string, allowlist: NetworkAllowlist): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return 'must be an https:// URL';
  const literal = parseIpAddress(url.hostname);
  const allowlisted = literal ? allowlist.allowsAddress(literal) : allowlist.allowsHost(url.hostname);
  return allowlisted
    ? null
    : 'must be an https:// URL (http:// only to a host on the organization network allowlist)';
}

/**
 * An organisation's HTTP tool: each call POSTs the arguments as JSON to the tool's URL, signed with
 * the tool's secret exactly like budget webhooks — `x-kimi-signature: t=<unix seconds>,v1=<hex>`
 * where v1 = HMAC-SHA256(secret, `<t>.<raw body>`) — plus `x-kimi-tool` and `idempotency-key`.
 * The SSRF guard applies; redirects are not followed. A 2xx body is the output; any other status
 * is an error for the model.
 */
export function createOrganizationHttpTool(
  target: HttpToolTarget,
  options: OrganizationHttpToolOptions,
  limits: ToolLimits,
): Tool {
  return defineTool(
    {
      name: target.name,
      description: target.description,
      parameters: target.parameters,
      ...(target.needsApproval ? { needsApproval: true } : {}),
    },
    async (argumentsValue, context) => {
      const problem = toolUrlProblem(target.url, options.allowlist);
      if (problem) return { ok: false, error: `The tool's URL ${problem}.` };
      const body = JSON.stringify(argumentsValue);
      const timestamp = Math.floor(options.clock.now() / 1000);
      const client = createGuardedHttpClient({
        allowlist: options.allowlist,
        resolveHost: options.resolveHost,
        ...(options.traceHeaders ? { traceHeaders: options.traceHeaders } : {}),
      });
      try {
        const response = await client.fetch(target.url, {
          method: 'POST',
          body,
          redirect: 'manual',
          signal: context.signal,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'kimi-platform-agent/1',
            [webhookSignatureHeader]: signWebhookPayload(target.secret, body, timestamp),
            [toolNameHeader]: target.name,
            [idempotencyKeyHeader]: `${context.runId}:${context.stepKey}`,
          },
        });
        const { text, truncated } = await readLimitedText(response, options.maxResponseBytes);
        const note = truncated ? `\n[truncated after ${options.maxResponseBytes} bytes]` : '';
        if (response.status >= 200 && response.status < 300) return `${text}${note}`;
        const detail = text.trim() ? `: ${text.slice(0, 2000)}` : '';
        return { ok: false, error: `The tool's endpoint answered HTTP ${response.status}${detail}` };
      } catch (error) {
        return {
          ok: false,
          error: `The tool's endpoint could not be called: ${describeFetchFailure(error)}`,
        };
      } finally {
        await client.close();
      }
    },
    limits,
  );
}
