import type { JsonValue } from './audit-types.ts';

/** What a secret is replaced by: the entry still shows that one was set or changed. */
export const redactedMarker = '[redacted]';

/** Names are compared in lower case without `_`, `-` or spaces: `api_key`, `apiKey`, `API-Key` alike. */
function normalized(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

const secretNames = new Set([
  'apikey',
  'providerkey',
  'privatekey',
  'secretkey',
  'masterkey',
  'signingkey',
  'accesskey',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'credential',
  'credentials',
  'passphrase',
]);

const secretSuffixes = ['secret', 'hash', 'password', 'token'];

/** True when a field of this name holds a secret (secrets, key hashes, sealed values, tokens). */
export function isSecretName(name: string): boolean {
  const plain = normalized(name);
  if (secretNames.has(plain) || plain.startsWith('sealed')) return true;
  return secretSuffixes.some((suffix) => plain.endsWith(suffix));
}

/** Header maps keep their names (useful to see which were set) and lose every value. */
function isHeadersName(name: string): boolean {
  return normalized(name).endsWith('headers');
}

/** Values that are secrets whatever their field is called: our key format, bearer tokens, `sk-…` keys. */
const secretValuePatterns = [/^sk-[A-Za-z0-9_-]{12,}/, /^bearer\s+\S/i, /^basic\s+\S/i];

const nul = '\u0000';
const unpairedSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function redactString(value: string): string {
  if (secretValuePatterns.some((pattern) => pattern.test(value))) return redactedMarker;
  // A URL may carry a password in its user information.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(value)) {
    try {
      const url = new URL(value);
      if (url.password) {
        url.password = redactedMarker;
        return url.toString();
      }
    } catch {
      return redactedMarker;
    }
  }
  // why: jsonb refuses NUL and unpaired surrogates in text, and a failed audit write rolls the change back.
  return value.replaceAll(nul, '\uFFFD').replace(unpairedSurrogates, '\uFFFD');
}

function redactValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(redactValue);
  const redacted: { [name: string]: JsonValue } = {};
  for (const [name, item] of Object.entries(value)) {
    const key = redactString(name);
    if (isSecretName(name)) redacted[key] = redactedMarker;
    else if (isHeadersName(name)) redacted[key] = redactHeaderValues(item);
    else redacted[key] = redactValue(item);
  }
  return redacted;
}

function redactHeaderValues(headers: JsonValue): JsonValue {
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return redactedMarker;
  return Object.fromEntries(Object.keys(headers).map((name) => [redactString(name), redactedMarker]));
}

/** The JSON form of a value (Dates as ISO text, undefined fields dropped); undefined becomes null. */
function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

/**
 * The one redaction of the audit log: a summary as it may be stored. Fields named like secrets
 * (secret, *_hash, sealed*, *token, *password, api_key, authorization, …) become the marker,
 * header maps keep only their names, and values shaped like keys or bearer tokens become the marker
 * wherever they are. Services pass secret-free summaries; this is the net beneath them.
 */
export function redactSecrets(value: unknown): JsonValue {
  return redactValue(toJson(value));
}
