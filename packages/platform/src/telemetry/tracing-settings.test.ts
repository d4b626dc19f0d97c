import { describe, expect, it } from 'vitest';
import { createSampler, parseKeyValueList, tracingSettings } from './tracing-settings.ts';

const none = { OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'parentbased_always_on' } as const;

describe('tracing settings from the OTEL_* variables', () => {
  it('export nothing unless OTEL_TRACES_EXPORTER=otlp', () => {
    expect(tracingSettings(none, 'kimi-platform').endpoint).toBeNull();
    expect(tracingSettings({ ...none, OTEL_TRACES_EXPORTER: 'otlp' }, 'kimi-platform').endpoint).toBe(
      'http://localhost:4318/v1/traces',
    );
  });

  it('append /v1/traces to the base endpoint and take the signal endpoint as it is', () => {
    const otlp = { ...none, OTEL_TRACES_EXPORTER: 'otlp' } as const;
    expect(
      tracingSettings({ ...otlp, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'x').endpoint,
    ).toBe('http://collector:4318/v1/traces');
    expect(
      tracingSettings(
        {
          ...otlp,
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/ingest',
        },
        'x',
      ).endpoint,
    ).toBe('https://traces.example.com/ingest');
  });

  it('read headers and resource attributes as percent-encoded name=value lists', () => {
    expect(parseKeyValueList('api-key=a%20b, x-team = core ,broken,=nameless')).toEqual({
      'api-key': 'a b',
      'x-team': 'core',
    });
    const settings = tracingSettings(
      {
        ...none,
        OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=3',
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes,deployment.environment=prod',
      },
      'kimi-platform',
    );
    expect(settings.headers).toEqual({ a: '1', b: '3' });
    expect(settings.serviceName).toBe('from-attributes');
    expect(settings.resourceAttributes['deployment.environment']).toBe('prod');
    expect(tracingSettings({ ...none, OTEL_SERVICE_NAME: 'named' }, 'kimi-platform').serviceName).toBe(
      'named',
    );
    expect(tracingSettings(none, 'kimi-platform-worker').serviceName).toBe('kimi-platform-worker');
  });

  it('name the sampler the variables ask for, and record nothing of our own with export off', () => {
    const otlp = { ...none, OTEL_TRACES_EXPORTER: 'otlp' } as const;
    const samplerOf = (sampler: typeof none.OTEL_TRACES_SAMPLER | 'traceidratio', argument?: number) =>
      createSampler(
        tracingSettings({ ...otlp, OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: argument }, 'x'),
      ).toString();
    expect(samplerOf('parentbased_always_on')).toMatch(/ParentBased\{root=AlwaysOnSampler/);
    expect(samplerOf('traceidratio', 0.25)).toBe('TraceIdRatioBased{0.25}');
    expect(createSampler(tracingSettings(none, 'x')).toString()).toMatch(
      /ParentBased\{root=AlwaysOffSampler/,
    );
  });
});
