import { isIP } from 'node:net';

/** Which webhook URLs may be stored and called. */
export interface WebhookUrlPolicy {
  /**
   * Allows http:// (and https://) to 127.0.0.1, ::1 and localhost: for tests and local receivers
   * only. Off, only https:// to public hosts is allowed.
   */
  allowInsecureLocalhost: boolean;
  /**
   * Why the URL's host may not be called, after resolving it (the platform supplies the SSRF
   * check); null when it may. Without it only the literal checks of webhookUrlProblem apply.
   */
  destinationProblem?: (url: string) => Promise<string | null>;
}

function ipv4Octets(host: string): number[] | null {
  if (isIP(host) !== 4) return null;
  return host.split('.').map(Number);
}

/** Loopback, private, link-local (cloud metadata), shared, unspecified or multicast IPv4. */
function isNonPublicIpv4(octets: readonly number[]): boolean {
  const [first = 0, second = 0] = octets;
  return (
    first === 0 ||
    first === 10 ||
    first === 127 ||
    (first === 100 && second >= 64 && second <= 127) ||
    (first === 169 && second === 254) ||
    (first === 172 && second >= 16 && second <= 31) ||
    (first === 192 && second === 168) ||
    first >= 224
  );
}

function isNonPublicIpv6(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower === '::' || lower === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1]) {
    const octets = ipv4Octets(mapped[1]);
    return octets === null || isNonPublicIpv4(octets);
  }
  // why: Node's URL writes IPv4-mapped addresses in hex (::ffff:7f00:1); every mapped one is refused.
  if (lower.startsWith('::ffff:')) return true;
  return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(lower);
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || ipv4Octets(host)?.[0] === 127;
}

/**
 * Why a webhook URL may not be used, or null when it may. SSRF care: https only; no credentials in
 * the URL; hosts that are literal loopback, private, link-local or otherwise non-public addresses
 * and `localhost` are refused unless the policy allows local receivers. Names are not resolved here,
 * so a public name pointing at a private address is not caught (run webhooks through an egress proxy
 * where that matters); deliveries do not follow redirects.
 */
export function webhookUrlProblem(text: string, policy: WebhookUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (text.length > 2048) return 'must be at most 2048 characters';
  if (url.username || url.password) return 'must not contain credentials';
  // why: `localhost.` (a trailing dot) is the same host as `localhost`.
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (policy.allowInsecureLocalhost && isLoopbackHost(host)) {
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'must be an https:// URL';
  }
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at this machine';
  const octets = ipv4Octets(host);
  if (octets && isNonPublicIpv4(octets)) return 'must not point at a private or loopback address';
  if (host.startsWith('[') && isNonPublicIpv6(host.slice(1, -1)))
    return 'must not point at a private or loopback address';
  return null;
}
