import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';

export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

/** The OTEL_* variables as parsed by the environment schema (config/telemetry-environment.ts). */
export interface TracingEnvironment {
  OTEL_TRACES_EXPORTER: 'otlp' | 'none';
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_HEADERS?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_HEADERS?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
  OTEL_RESOURCE_ATTRIBUTES?: string | undefined;
  OTEL_TRACES_SAMPLER: SamplerName;
  OTEL_TRACES_SAMPLER_ARG?: number | undefined;
}

/** How a process traces: whether and where it exports, what it calls itself, how it samples. */
export interface TracingSettings {
  /** Null: nothing is exported (the default); ids are still made and passed on. */
  endpoint: string | null;
  headers: Record<string, string>;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  sampler: SamplerName;
  samplerRatio: number;
}

/** `a=1,b=x%20y` → { a: '1', b: 'x y' } (OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS). */
export function parseKeyValueList(text: string | undefined): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    const raw = pair.slice(separator + 1).trim();
    try {
      entries[name] = decodeURIComponent(raw);
    } catch {
      entries[name] = raw;
    }
  }
  return entries;
}

/** The traces URL as the OTLP exporter spec builds it: the signal endpoint as is, else base + /v1/traces. */
function tracesEndpoint(environment: TracingEnvironment): string {
  if (environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = environment.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** Reads the standard OTEL_* variables into settings; `defaultServiceName` names the process kind. */
export function tracingSettings(
  environment: TracingEnvironment,
  defaultServiceName: string,
): TracingSettings {
  const resourceAttributes = parseKeyValueList(environment.OTEL_RESOURCE_ATTRIBUTES);
  return {
    endpoint: environment.OTEL_TRACES_EXPORTER === 'otlp' ? tracesEndpoint(environment) : null,
    headers: {
      ...parseKeyValueList(environment.OTEL_EXPORTER_OTLP_HEADERS),
      ...parseKeyValueList(environment.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    },
    serviceName: environment.OTEL_SERVICE_NAME ?? resourceAttributes['service.name'] ?? defaultServiceName,
    resourceAttributes,
    sampler: environment.OTEL_TRACES_SAMPLER,
    samplerRatio: environment.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}

/**
 * The sampler the settings name. With export off the platform records nothing of its own
 * (`parentbased_always_off`): a caller that marks its trace sampled still gets spans recorded
 * and the sampled flag passed on, so downstream services keep the caller's decision.
 */
export function createSampler(settings: TracingSettings): Sampler {
  if (settings.endpoint === null) return new ParentBasedSampler({ root: new AlwaysOffSampler() });
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
