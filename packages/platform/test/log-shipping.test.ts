import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { errors } from '../src/errors/index.ts';
import { createLocalTracing } from '../src/telemetry/index.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The ELK example in deploy/logging: the Vector config and the Elasticsearch index template parse,
 * the sink writes the indices the template applies to, and the template maps exactly the fields
 * the platform's log lines carry (after the two renames the Vector remap makes).
 */
const folder = new URL('../../../deploy/logging/', import.meta.url);
const vector = parse(readFileSync(new URL('vector.yaml', folder), 'utf8')) as {
  sources: Record<string, { type: string }>;
  transforms: Record<string, { type: string; inputs: string[]; source: string }>;
  sinks: Record<string, { type: string; inputs: string[]; bulk: { index: string } }>;
};
const template = JSON.parse(
  readFileSync(new URL('kimi-platform-logs.index-template.json', folder), 'utf8'),
) as {
  index_patterns: string[];
  template: {
    mappings: { properties: Record<string, { type?: string; properties?: Record<string, unknown> }> };
  };
};

const lines: string[] = [];
const tracing = createLocalTracing('test');
let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp({ tracing, logLevel: 'info', logSink: { write: (line) => lines.push(line) } });
}, 60_000);

afterAll(async () => {
  await testApp?.close();
  await tracing.close();
});

/** The field names a line has once Vector's remap ran: `time` → `@timestamp`, plus `level_value`. */
function shippedFields(line: Record<string, unknown>): string[] {
  return [...Object.keys(line).filter((field) => field !== 'time'), '@timestamp', 'level_value'];
}

describe('the ELK log-shipping example', () => {
  it('is a Vector pipeline from stdin through a remap to the indices the template covers', () => {
    const [sourceName] = Object.keys(vector.sources);
    const remap = Object.values(vector.transforms)[0]!;
    expect(remap.type).toBe('remap');
    expect(remap.inputs).toEqual([sourceName]);
    expect(remap.source).toContain('parse_json!');
    expect(remap.source).toContain('."@timestamp" = from_unix_timestamp!');
    expect(remap.source).toContain('del(.time)');
    expect(remap.source).toContain('.level_value = to_int!(.level)');
    const sink = Object.values(vector.sinks)[0]!;
    expect(sink.type).toBe('elasticsearch');
    expect(sink.inputs).toEqual(Object.keys(vector.transforms));
    const pattern = new RegExp(`^${template.index_patterns[0]!.replace('*', '.*')}$`);
    expect(sink.bulk.index.replace('%Y.%m.%d', '2026.01.31')).toMatch(pattern);
  });

  it('maps exactly the fields our log lines carry', async () => {
    const { secret } = await createTenant(testApp);
    const ok = await testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${secret}` },
      payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(ok.statusCode).toBe(200);
    const refused = await testApp.app.inject({ method: 'GET', url: '/v1/models' });
    expect(refused.statusCode).toBe(401);
    await tracing.inSpan('failing work', {}, async () => {
      testApp.platform.logger.error({ err: errors.shuttingDown() }, 'a failure with its error');
    });
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = parsed.filter((line) => line.msg === 'request completed');
    expect(requestLines.map((line) => line.status)).toEqual(expect.arrayContaining([200, 401]));
    const errorLine = parsed.find((line) => line.msg === 'a failure with its error')!;
    const emitted = new Set([...requestLines, errorLine].flatMap(shippedFields));
    const mapped = template.template.mappings.properties;
    expect(new Set(Object.keys(mapped))).toEqual(emitted);
    const errorFields = Object.keys(errorLine.err as Record<string, unknown>);
    for (const field of Object.keys(mapped.err!.properties!)) expect(errorFields).toContain(field);
    expect(errorLine.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });
});
