import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries a delivery's signature. */
export const webhookSignatureHeader = 'x-kimi-signature';

/** How old a signed delivery a receiver should accept by default (replay window). */
export const defaultSignatureToleranceSeconds = 300;

function digest(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/**
 * The `x-kimi-signature` value for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256>` of
 * `"<t>.<body>"` under the webhook's secret (the scheme Stripe uses, so its recipes apply).
 */
export function signWebhookPayload(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${digest(secret, timestampSeconds, body)}`;
}

/**
 * What a receiver does with a delivery: split the header on `,` into `t` and `v1` (several `v1`
 * may appear while a secret rotates), recompute HMAC-SHA256(secret, `${t}.${rawBody}`) over the raw
 * request body, compare in constant time, and refuse timestamps further than `toleranceSeconds` from
 * now, so a captured delivery cannot be replayed later. Deduplicate by the event's `id`: delivery is
 * at least once.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  body: string;
  header: string | null | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  if (!input.header) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of input.header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && value) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  const tolerance = input.toleranceSeconds ?? defaultSignatureToleranceSeconds;
  if (Math.abs(input.nowSeconds - timestamp) > tolerance) return false;
  const expected = Buffer.from(digest(input.secret, timestamp, input.body), 'utf8');
  return signatures.some((signature) => {
    const given = Buffer.from(signature, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
