import type { Provider } from '../../model/index.ts';
import type { UpstreamFetch } from '../http/index.ts';
import {
  buildOpenAICompatibleProvider,
  joinUrl,
  type MaxTokensField,
  type OpenAICompatibleModelSettings,
} from '../openai-compatible/index.ts';
import { describeAzureContentFilter, mapAzureOpenAIError } from './azure-openai-error.ts';

/**
 * The latest GA data-plane inference api-version for deployment URLs, per
 * https://learn.microsoft.com/azure/ai-services/openai/reference (Azure's newer `/openai/v1/`
 * surface needs no api-version and is not what this adapter speaks).
 */
export const azureOpenAIDefaultApiVersion = '2024-10-21';

/** One deployment of an Azure OpenAI resource; its name is the model id (`azure/<deployment>`). */
export interface AzureOpenAIDeployment extends Omit<OpenAICompatibleModelSettings, 'id'> {
  deployment: string;
  /** The model the deployment serves (e.g. gpt-4o), for prices and display. */
  model: string;
}

/** Everything the Azure OpenAI provider is configured with. */
export interface AzureOpenAIProviderOptions {
  /** e.g. https://my-resource.openai.azure.com; per-call credentials may name another resource. */
  endpoint: string;
  /** Sent as `api-key`; read at call time. */
  apiKey: () => string | undefined;
  apiVersion?: string;
  deployments: AzureOpenAIDeployment[];
  headers?: Record<string, string>;
  fetch?: UpstreamFetch;
  /** Default `max_tokens`; set `max_completion_tokens` on deployments of reasoning models. */
  maxTokensField?: MaxTokensField;
}

/**
 * Azure OpenAI (`azure/…`): the OpenAI protocol at
 * `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…` (and `/embeddings`),
 * authenticated with `api-key`, with Azure's content filter rejections mapped to CONTENT_FILTERED;
 * Responses API requests go natively to `{endpoint}/openai/v1/responses`.
 */
export function createAzureOpenAIProvider(options: AzureOpenAIProviderOptions): Provider {
  const apiVersion = options.apiVersion ?? azureOpenAIDefaultApiVersion;
  return buildOpenAICompatibleProvider(
    {
      provider: 'azure',
      baseUrl: options.endpoint,
      apiKey: options.apiKey,
      requiresApiKey: true,
      headers: options.headers ?? {},
      fetch: options.fetch,
      // Why: the Responses API is served by Azure's v1 surface only, with the deployment in the body.
      endpoint: (endpoint, operation, deployment) =>
        operation === 'responses'
          ? joinUrl(endpoint, 'openai/v1/responses')
          : `${joinUrl(endpoint, `openai/deployments/${encodeURIComponent(deployment)}/${operation}`)}?api-version=${encodeURIComponent(apiVersion)}`,
      nativeResponses: true,
      authenticationHeaders: (apiKey) => ({ 'api-key': apiKey }),
      mapError: mapAzureOpenAIError,
      describeContentFilter: describeAzureContentFilter,
    },
    options.deployments.map(({ deployment, model: _model, ...settings }) => ({
      ...settings,
      id: deployment,
    })),
    { maxTokensField: options.maxTokensField ?? 'max_tokens', includeStreamUsage: true },
  );
}
