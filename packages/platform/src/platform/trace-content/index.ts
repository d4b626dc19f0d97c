export { createTraceContentServices, type TraceContentServices } from './trace-content-services.ts';
