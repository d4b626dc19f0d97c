export { type ConfigFile, configFileSchema, type ModelPrice } from './config-file-schema.ts';
export { type ConfigWatcher, watchConfigFile } from './config-watcher.ts';
export { type Environment, environmentSchema, parseEnvironment } from './environment.ts';
export { formatIssuePath, formatZodIssues } from './format-zod-issues.ts';
export { type LoadedConfig, loadConfig, parseConfigText } from './load-config.ts';
export type {
  AnthropicProviderConfig,
  AzureProviderConfig,
  NamedProviderConfig,
  OpenAICompatibleServerConfig,
  ProviderModelConfig,
} from './provider-config-schema.ts';
export {
  defaultToolsConfig,
  type StdioMcpServerConfig,
  type ToolsConfig,
  toolNamePartSchema,
  toolsConfigSchema,
} from './tools-config-schema.ts';
