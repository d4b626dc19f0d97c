export { createLogger, type Logger } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export {
  type Attributes,
  type Context,
  createLocalTracing,
  createTracing,
  type HeaderRecord,
  recordSpanFailure,
  type Span,
  SpanKind,
  type SpanStart,
  type Tracing,
} from './tracing.ts';
export {
  parseKeyValueList,
  type SamplerName,
  type TracingEnvironment,
  type TracingSettings,
  tracingSettings,
} from './tracing-settings.ts';
