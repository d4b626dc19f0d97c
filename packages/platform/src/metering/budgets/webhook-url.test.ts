import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from './webhook-url.ts';

const strict = { allowInsecureLocalhost: false };
const local = { allowInsecureLocalhost: true };

describe('webhook URL policy', () => {
  it('accepts public https URLs', () => {
    expect(webhookUrlProblem('https://hooks.example.com/kimi', strict)).toBeNull();
    expect(webhookUrlProblem('https://93.184.216.34:8443/hook', strict)).toBeNull();
  });

  it.each([
    ['http://hooks.example.com/kimi', 'https'],
    ['ftp://hooks.example.com', 'https'],
    ['not a url', 'absolute URL'],
    ['https://user:pass@hooks.example.com', 'credentials'],
    ['https://localhost/hook', 'this machine'],
    ['https://api.localhost/hook', 'this machine'],
    ['https://LOCALHOST./hook', 'this machine'],
    ['https://127.0.0.1/hook', 'private or loopback'],
    ['https://2130706433/hook', 'private or loopback'],
    ['https://10.1.2.3/hook', 'private or loopback'],
    ['https://172.20.0.1/hook', 'private or loopback'],
    ['https://192.168.1.1/hook', 'private or loopback'],
    ['https://169.254.169.254/latest/meta-data', 'private or loopback'],
    ['https://100.64.0.1/hook', 'private or loopback'],
    ['https://0.0.0.0/hook', 'private or loopback'],
    ['https://[::1]/hook', 'private or loopback'],
    ['https://[fd00::1]/hook', 'private or loopback'],
    ['https://[fe80::1]/hook', 'private or loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'private or loopback'],
    [`https://example.com/${'x'.repeat(2100)}`, '2048'],
  ])('refuses %s', (url, problem) => {
    expect(webhookUrlProblem(url, strict)).toContain(problem);
  });

  it('allows plain http to loopback only when the option says so', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9999/hook', local)).toBeNull();
    expect(webhookUrlProblem('http://localhost:9999/hook', local)).toBeNull();
    expect(webhookUrlProblem('http://[::1]:9999/hook', local)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:9999/hook', strict)).toContain('https');
    expect(webhookUrlProblem('http://10.0.0.1/hook', local)).toContain('https');
    expect(webhookUrlProblem('https://192.168.1.1/hook', local)).toContain('private');
  });
});
