export { embedText } from './embed-text.ts';
export { sampleJsonSchema } from './json-schema-sample.ts';
export {
  type SimulatedModelSettings,
  type SimulatedModelSettingsInput,
  simulatedModelSettingsSchema,
} from './simulated-api.ts';
export { createSimulatedProvider, type SimulatedProviderOptions } from './simulated-provider.ts';
