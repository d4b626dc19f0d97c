import { describe, expect, it } from 'vitest';
import { describeListenAddress } from './listen-address.ts';

describe('describeListenAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', 'http://127.0.0.1:8080'],
    ['0.0.0.0', '0.0.0.0', 'all interfaces (0.0.0.0:8080)'],
    ['::', '::', 'all interfaces ([::]:8080)'],
    ['::1', '::1', 'http://[::1]:8080'],
    ['localhost', '127.0.0.1', 'http://localhost:8080'],
    ['10.1.2.3', '10.1.2.3', 'http://10.1.2.3:8080'],
    ['0.0.0.0', null, 'all interfaces (0.0.0.0:8080)'],
    ['127.0.0.1', null, 'http://127.0.0.1:8080'],
  ])('HOST=%s bound to %s → %s', (host, address, expected) => {
    expect(describeListenAddress(host, address, 8080)).toBe(expected);
  });
});
