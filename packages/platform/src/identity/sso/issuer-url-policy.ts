import { isIP } from 'node:net';

/** Which identity-provider URLs the platform may call. */
export interface IssuerUrlPolicy {
  /**
   * Allows issuers (and their endpoints) on 127.0.0.0/8, ::1 and localhost, over http or https:
   * for tests and a provider on the same machine in development. Off in a shared deployment, where
   * an organisation's administrator must not make the platform call its own loopback services.
   */
  allowLoopback: boolean;
}

export function isLoopbackHost(hostname: string): boolean {
  // why: `localhost.` (a trailing dot) is the same host as `localhost`; URL keeps IPv6 brackets.
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Why `text` may not be an issuer or provider endpoint URL, or null when it may. The rule: https
 * only, no credentials, no fragment; loopback hosts only when the policy allows them, and then http
 * too. Names are not resolved here: the injected fetch is where a deployment refuses private
 * destinations (the agents' guarded fetch does).
 */
export function issuerUrlProblem(text: string, policy: IssuerUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (text.length > 2048) return 'must be at most 2048 characters';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  if (isLoopbackHost(url.hostname)) {
    if (!policy.allowLoopback) return 'must not point at this machine (loopback issuers are for tests only)';
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'must be an https:// URL';
  }
  if (url.protocol !== 'https:')
    return 'must be an https:// URL (http is accepted only on loopback, for tests)';
  return null;
}
