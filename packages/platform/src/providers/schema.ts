/** The light entry the config file composes: schemas only, none of the providers' code. */
export {
  type AnthropicProviderConfig,
  type AzureProviderConfig,
  type NamedProviderConfig,
  type OpenAICompatibleServerConfig,
  type ProviderModelConfig,
  type ProvidersConfig,
  providersConfigSchema,
} from './provider-config-schema.ts';
