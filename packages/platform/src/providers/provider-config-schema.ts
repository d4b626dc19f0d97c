import { z } from 'zod';
import { simulatedModelSettingsSchema } from './simulated/simulated-api.ts';

const environmentVariableName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');
const providerName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, dashes or underscores')
  .refine((name) => name !== 'sim', "'sim' is the simulated provider's name");

/** A model a provider serves; the built-in catalogs supply these for the named providers. */
export const providerModelSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['chat', 'embedding']).default('chat'),
    context_window: z.number().int().min(1),
    max_output_tokens: z.number().int().min(1).default(4096),
    dimensions: z.number().int().min(1).optional(),
    vision: z.boolean().default(false),
    tools: z.boolean().default(true),
    json_mode: z.boolean().default(true),
    /** Takes a reasoning effort (`reasoning_effort`) or, for Anthropic, a thinking budget. */
    reasoning: z.boolean().default(false),
  })
  .strict();

/** Bound on connecting (TCP and TLS) to the provider; undici checks it about once a second. */
const connectTimeout = z.number().int().min(100).max(600_000).default(10_000);

const credentialFields = {
  enabled: z.boolean().default(true),
  connect_timeout_ms: connectTimeout,
  /** Read at call time, so rotating the variable needs no restart of the config. */
  api_key_env: environmentVariableName.optional(),
  /** Prefer api_key_env: a key in a file is easy to leak. */
  api_key: z.string().min(1).optional(),
  base_url: z.url().optional(),
  /** Added to (or replacing by id) the provider's built-in catalog. */
  models: z.array(providerModelSchema).default([]),
};

export const namedProviderSchema = z.object(credentialFields).strict();

export const anthropicProviderSchema = z
  .object({ ...credentialFields, version: z.string().min(1).optional() })
  .strict();

export const azureDeploymentSchema = z
  .object({
    deployment: z.string().min(1),
    /** The underlying model (e.g. gpt-4o): used for prices and documentation. */
    model: z.string().min(1),
    kind: z.enum(['chat', 'embedding']).default('chat'),
    context_window: z.number().int().min(1),
    max_output_tokens: z.number().int().min(1).default(4096),
    dimensions: z.number().int().min(1).optional(),
    vision: z.boolean().default(false),
    /** A reasoning model's deployment: takes `reasoning_effort`, returns encrypted reasoning. */
    reasoning: z.boolean().default(false),
  })
  .strict();

export const azureProviderSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** e.g. https://my-resource.openai.azure.com; or set AZURE_OPENAI_ENDPOINT. */
    endpoint: z.url().optional(),
    connect_timeout_ms: connectTimeout,
    api_key_env: environmentVariableName.default('AZURE_OPENAI_API_KEY'),
    api_key: z.string().min(1).optional(),
    api_version: z.string().min(1).optional(),
    deployments: z.array(azureDeploymentSchema).min(1),
  })
  .strict();

export const openAICompatibleServerSchema = z
  .object({
    name: providerName,
    base_url: z.url(),
    connect_timeout_ms: connectTimeout,
    api_key_env: environmentVariableName.optional(),
    api_key: z.string().min(1).optional(),
    models: z.array(providerModelSchema).min(1),
  })
  .strict();

/** `providers:` in kimi.config.yaml, besides `sim`. */
export const realProvidersSchema = {
  openai: namedProviderSchema.optional(),
  anthropic: anthropicProviderSchema.optional(),
  together: namedProviderSchema.optional(),
  moonshot: namedProviderSchema.optional(),
  azure_openai: azureProviderSchema.optional(),
  openai_compatible: z
    .array(openAICompatibleServerSchema)
    .default([])
    .refine(
      (servers) => new Set(servers.map((server) => server.name)).size === servers.length,
      'server names must be unique',
    ),
};

export type ProviderModelConfig = z.infer<typeof providerModelSchema>;
export type NamedProviderConfig = z.infer<typeof namedProviderSchema>;
export type AnthropicProviderConfig = z.infer<typeof anthropicProviderSchema>;
export type AzureProviderConfig = z.infer<typeof azureProviderSchema>;
export type OpenAICompatibleServerConfig = z.infer<typeof openAICompatibleServerSchema>;

/** The `providers:` section of the config file: the simulated provider and the real ones. */
export const providersConfigSchema = z
  .object({
    sim: z
      .object({
        enabled: z.boolean().default(true),
        /**
         * Honour `[[sim:…]]` fault directives in prompts (a testing tool). Off by default, so a
         * tenant cannot make the shared sim deployments fail; when on, the faults a directive
         * provokes are kept to the organisation that sent it.
         */
        fault_directives: z.boolean().default(false),
        models: z
          .record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i), simulatedModelSettingsSchema)
          .optional(),
      })
      .strict()
      .default({ enabled: true, fault_directives: false }),
    ...realProvidersSchema,
  })
  .strict()
  .default({ sim: { enabled: true, fault_directives: false }, openai_compatible: [] });

export type ProvidersConfig = z.infer<typeof providersConfigSchema>;
