import { errors } from '../../errors/index.ts';
import type { EmbeddingModel, LanguageModel, ModelDescriptor, Provider } from '../../model/index.ts';
import { type Clock, type RandomSource, systemClock, type Tokenizer } from '../../support/index.ts';
import {
  type SimulatedModelSettings,
  type SimulatedModelSettingsInput,
  simulatedModelSettingsSchema,
} from './simulated-api.ts';
import { createSimulatedEmbeddingModel } from './simulated-embedding-model.ts';
import { createSimulatedLanguageModel, type SimulatedEnvironment } from './simulated-language-model.ts';

/** The models offered when the config file names none: one per routing scenario worth a demo. */
const defaultModels: Record<string, SimulatedModelSettingsInput> = {
  fast: { description: 'Instant simulated chat model.' },
  smart: {
    latency_ms: 40,
    context_window: 200_000,
    description: 'Slower simulated chat model with a large context.',
  },
  mini: { context_window: 16_000, description: 'Simulated chat model with a small context window.' },
  flaky: { failure_rate: 0.3, description: 'Simulated chat model that fails three calls in ten.' },
  embed: {
    kind: 'embedding',
    dimensions: 256,
    context_window: 8192,
    description: 'Simulated embedding model (feature hashing).',
  },
};

/** What the simulated provider is built from; every I/O dependency is injectable. */
export interface SimulatedProviderOptions {
  /** Models by name; merged over the defaults, a given name replacing that default entirely. */
  models?: Record<string, SimulatedModelSettingsInput>;
  clock?: Clock;
  /** Decides faults and jitter; seed it in tests. */
  random?: RandomSource;
  tokenizer: Tokenizer;
  /**
   * Honour `[[sim:…]]` directives in the last user message (config `providers.sim.fault_directives`).
   * Default false: the directive text is then ordinary prompt text.
   */
  faultDirectives?: boolean;
}

/**
 * The built-in `sim` provider: the offline demo when no keys are configured and the fault
 * injector for resilience tests. Replies are deterministic; faults follow the settings' shares
 * or, where the operator enabled them, `[[sim:…]]` directives in the last user message.
 */
export function createSimulatedProvider(options: SimulatedProviderOptions): Provider {
  const environment: SimulatedEnvironment = {
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    tokenizer: options.tokenizer,
    faultDirectives: options.faultDirectives ?? false,
  };
  const settingsByName = new Map<string, SimulatedModelSettings>();
  for (const [name, input] of Object.entries({ ...defaultModels, ...options.models })) {
    settingsByName.set(name, parseSettings(name, input));
  }
  const languageModels = new Map<string, LanguageModel>();
  const embeddingModels = new Map<string, EmbeddingModel>();
  for (const [name, settings] of settingsByName) {
    if (settings.kind === 'chat')
      languageModels.set(name, createSimulatedLanguageModel(name, settings, environment));
    else embeddingModels.set(name, createSimulatedEmbeddingModel(name, settings, environment));
  }
  const descriptors = [...settingsByName].map(([name, settings]) => describe(name, settings));

  return {
    name: 'sim',
    simulated: true,
    listModels: () =>
      descriptors.map((descriptor) => ({ ...descriptor, capabilities: { ...descriptor.capabilities } })),
    languageModel(modelId) {
      const model = languageModels.get(modelId);
      if (model !== undefined) return model;
      if (embeddingModels.has(modelId)) throw errors.modelCapabilityMissing(`sim/${modelId}`, 'chat');
      throw errors.modelNotFound(`sim/${modelId}`);
    },
    embeddingModel(modelId) {
      const model = embeddingModels.get(modelId);
      if (model !== undefined) return model;
      if (languageModels.has(modelId)) throw errors.modelCapabilityMissing(`sim/${modelId}`, 'embeddings');
      throw errors.modelNotFound(`sim/${modelId}`);
    },
  };
}

function parseSettings(name: string, input: SimulatedModelSettingsInput): SimulatedModelSettings {
  const parsed = simulatedModelSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = ['providers', 'sim', 'models', name, ...(issue?.path ?? []).map(String)].join('.');
  throw errors.invalidRequest(
    path,
    `Invalid simulated model settings at '${path}': ${issue?.message ?? 'invalid'}.`,
  );
}

function describe(name: string, settings: SimulatedModelSettings): ModelDescriptor {
  const chat = settings.kind === 'chat';
  return {
    id: `sim/${name}`,
    provider: 'sim',
    modelId: name,
    kind: settings.kind,
    contextWindow: settings.context_window,
    maxOutputTokens: chat ? settings.max_output_tokens : 0,
    simulated: true,
    capabilities: { streaming: chat, tools: chat, jsonMode: chat, vision: chat },
    ...(chat ? {} : { dimensions: settings.dimensions }),
  };
}
