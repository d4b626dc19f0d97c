export type {
  AnthropicProviderConfig,
  AzureProviderConfig,
  NamedProviderConfig,
  OpenAICompatibleServerConfig,
  ProviderModelConfig,
  ProvidersConfig,
} from '../providers/schema.ts';
export { type ConfigFile, configFileSchema, type ModelPrice } from './config-file-schema.ts';
export { type ConfigWatcher, watchConfigFile } from './config-watcher.ts';
export { type Environment, environmentSchema, parseEnvironment } from './environment.ts';
export { formatIssuePath, formatZodIssues } from './format-zod-issues.ts';
export { type LoadedConfig, loadConfig, parseConfigText } from './load-config.ts';
export {
  defaultToolsConfig,
  type StdioMcpServerConfig,
  type ToolsConfig,
  toolNamePartSchema,
  toolsConfigSchema,
} from './tools-config-schema.ts';
export {
  applyVectorEnvironment,
  type QdrantConfig,
  qdrantConfigSchema,
  type VectorsConfig,
  vectorsConfigSchema,
} from './vectors-config-schema.ts';
