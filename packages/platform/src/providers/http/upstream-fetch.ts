import { Agent, fetch as undiciFetch } from 'undici';

/**
 * A fetch for one provider whose HTTP agent bounds connecting (TCP and TLS) by `connectTimeoutMs`:
 * Node's global fetch cannot set this per provider. undici checks its timers about once a second,
 * so the bound is approximate to that. Keep-alive connections are pooled per provider.
 */
export function createUpstreamFetch(options: { connectTimeoutMs: number }): typeof fetch {
  const agent = new Agent({ connect: { timeout: options.connectTimeoutMs } });
  const bound = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    });
  // why: undici's Response is the same WHATWG class Node's fetch returns; only the type names differ.
  return bound as unknown as typeof fetch;
}
