import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookPayload, verifyWebhookSignature } from './webhook-signature.ts';

const secret = 'whsec_test_secret_0123456789';
const body = JSON.stringify({ type: 'budget.threshold_reached', id: 'evt_1', threshold: 80 });

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 in the Stripe layout', () => {
    const header = signWebhookPayload(secret, body, 1_800_000_000);
    const expected = createHmac('sha256', secret).update(`1800000000.${body}`).digest('hex');
    expect(header).toBe(`t=1800000000,v1=${expected}`);
  });

  it('verifies a fresh signature and refuses altered, re-signed, stale or malformed ones', () => {
    const header = signWebhookPayload(secret, body, 1_800_000_000);
    const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret, body, header, nowSeconds: 1_800_000_100, ...overrides });
    expect(verify({})).toBe(true);
    expect(verify({ body: body.replace('80', '50') })).toBe(false);
    expect(verify({ secret: 'whsec_other_secret_0123456789' })).toBe(false);
    expect(verify({ nowSeconds: 1_800_000_301 })).toBe(false);
    expect(verify({ nowSeconds: 1_800_000_301, toleranceSeconds: 600 })).toBe(true);
    expect(verify({ header: header.replace('t=1800000000', 't=1800000050') })).toBe(false);
    expect(verify({ header: undefined })).toBe(false);
    expect(verify({ header: 'v1=abc' })).toBe(false);
    expect(verify({ header: 't=1800000000' })).toBe(false);
    expect(verify({ header: `t=1800000000,v1=${'0'.repeat(64)}` })).toBe(false);
  });

  it('accepts any matching v1 while a secret rotates', () => {
    const header = signWebhookPayload(secret, body, 1_800_000_000);
    const rotated = `${header.split(',')[0]},v1=${'f'.repeat(64)},${header.split(',')[1]}`;
    expect(verifyWebhookSignature({ secret, body, header: rotated, nowSeconds: 1_800_000_000 })).toBe(true);
  });
});
