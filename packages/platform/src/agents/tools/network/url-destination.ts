import { BlockedDestinationError, checkDestination, type HostResolver } from './destination-guard.ts';
import type { NetworkAllowlist } from './network-allowlist.ts';

export interface UrlDestinationOptions {
  allowlist: NetworkAllowlist;
  resolveHost: HostResolver;
}

/**
 * Why a URL a tenant configures (a tool, an MCP server, a webhook, a provider base URL) may not be
 * used, by where it leads: null when its host is public or allowlisted. Literal addresses in any
 * spelling the URL parser accepts (decimal, octal, hex, IPv4-mapped, NAT64, 6to4) and `localhost`
 * are refused; a name is resolved and refused when any of its addresses is not public. A name that
 * does not resolve (yet) is accepted: every call checks the destination again, connected to the
 * address it checked, so this check is for a clear 400 now, not the only line of defence.
 */
export async function urlDestinationProblem(
  text: string,
  options: UrlDestinationOptions,
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an https:// URL';
  let unresolved = false;
  const resolveHost: HostResolver = async (hostname) => {
    try {
      const addresses = await options.resolveHost(hostname);
      if (addresses.length === 0) unresolved = true;
      return addresses;
    } catch (error) {
      unresolved = true;
      throw error;
    }
  };
  try {
    await checkDestination(url.hostname, options.allowlist, resolveHost);
    return null;
  } catch (error) {
    if (unresolved) return null;
    if (error instanceof BlockedDestinationError) return error.message.replace(/\.$/, '');
    throw error;
  }
}
