import type { ConfigFile } from '../config/index.ts';
import type { Clock, Tokenizer } from '../support/index.ts';
import { createSimulatedProvider } from './simulated/index.ts';
import type { Provider } from './spec/index.ts';

/** The providers the config enables. Real providers join here as their adapters land. */
export function createProviders(
  config: ConfigFile,
  dependencies: { clock: Clock; tokenizer: Tokenizer },
): Provider[] {
  const providers: Provider[] = [];
  if (config.providers.sim.enabled) {
    providers.push(
      createSimulatedProvider({
        clock: dependencies.clock,
        tokenizer: dependencies.tokenizer,
        ...(config.providers.sim.models ? { models: config.providers.sim.models } : {}),
      }),
    );
  }
  return providers;
}
