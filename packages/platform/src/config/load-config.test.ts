import { describe, expect, it } from 'vitest';
import { parseEnvironment } from './environment.ts';
import { parseConfigText } from './load-config.ts';

describe('config file', () => {
  it('defaults every section', () => {
    const config = parseConfigText('');
    expect(config.server.body_limit_bytes).toBe(4 * 1024 * 1024);
    expect(config.providers.sim.enabled).toBe(true);
    expect(config.aliases).toEqual({});
  });

  it('leaves simulated fault directives off unless the operator enables them', () => {
    expect(parseConfigText('').providers.sim.fault_directives).toBe(false);
    expect(parseConfigText('providers:\n  sim:\n    enabled: true\n').providers.sim.fault_directives).toBe(
      false,
    );
    const enabled = parseConfigText('providers:\n  sim:\n    fault_directives: true\n');
    expect(enabled.providers.sim.fault_directives).toBe(true);
  });

  it('names the offending field', () => {
    expect(() => parseConfigText('server:\n  body_limit_bytes: -1\n')).toThrow(/server\.body_limit_bytes/);
    expect(() => parseConfigText('server:\n  bodylimit: 5\n')).toThrow(/server.*bodylimit/);
    expect(() =>
      parseConfigText('prices:\n  sim/fast:\n    input_per_million: abc\n    output_per_million: 1\n'),
    ).toThrow(/prices\.sim\/fast\.input_per_million/);
    expect(() => parseConfigText('aliases:\n  x: no-slash\n')).toThrow(/aliases\.x/);
  });

  it('reports YAML syntax errors', () => {
    expect(() => parseConfigText('server: [unclosed')).toThrow(/YAML syntax error/);
  });

  it('accepts the documented example', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../../../kimi.config.example.yaml', import.meta.url), 'utf8');
    const config = parseConfigText(text);
    expect(config.aliases['gpt-4o-mini']).toBe('sim/fast');
    expect(config.providers.sim.models?.unreliable?.failure_rate).toBe(0.2);
  });
});

describe('environment', () => {
  it('defaults and coerces', () => {
    const environment = parseEnvironment({});
    expect(environment.PORT).toBe(8080);
    expect(environment.KIMI_DATA_DIR).toBe('.kimi');
    expect(parseEnvironment({ PORT: '9000', DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('names the bad variable', () => {
    expect(() => parseEnvironment({ PORT: 'x' })).toThrow(/PORT/);
    expect(() => parseEnvironment({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(() => parseEnvironment({ KIMI_ADMIN_KEY: 'short' })).toThrow(/KIMI_ADMIN_KEY/);
  });
});
