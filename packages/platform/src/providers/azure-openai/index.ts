export {
  type AzureOpenAIDeployment,
  type AzureOpenAIProviderOptions,
  azureOpenAIDefaultApiVersion,
  createAzureOpenAIProvider,
} from './azure-openai-provider.ts';
