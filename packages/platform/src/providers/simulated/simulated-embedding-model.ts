import { errors, providerErrors } from '../../errors/index.ts';
import type { EmbeddingModel } from '../../model/index.ts';
import { embedText } from './embed-text.ts';
import {
  decideFault,
  type FaultEnvironment,
  hangUntilAborted,
  throwIfAborted,
  upstreamUnavailable,
  waitForFirstByte,
} from './inject-faults.ts';
import type { SimulatedModelSettings } from './simulated-api.ts';
import type { SimulatedEnvironment } from './simulated-language-model.ts';

/** The largest vector the simulated models produce, as OpenAI's text-embedding-3-large. */
const maximumDimensions = 4096;

/** An embedding model whose vectors come from feature hashing, with the model's faults. */
export function createSimulatedEmbeddingModel(
  modelId: string,
  settings: SimulatedModelSettings,
  environment: SimulatedEnvironment,
): EmbeddingModel {
  const publicModelId = `sim/${modelId}`;
  return {
    provider: 'sim',
    modelId,
    async embed(request, options) {
      const faults: FaultEnvironment = {
        clock: environment.clock,
        random: environment.random,
        signal: options.signal,
      };
      throwIfAborted(faults, environment.clock.now());
      if (request.input.length === 0) {
        throw errors.invalidRequest('input', "'input' must contain at least one text.");
      }
      const dimensions = request.dimensions ?? settings.dimensions;
      if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > maximumDimensions) {
        throw errors.invalidRequest(
          'dimensions',
          `'dimensions' must be a whole number from 1 to ${maximumDimensions}; got ${dimensions}.`,
        );
      }
      const tokenCounts = request.input.map((text) => environment.tokenizer.countText(text));
      for (const count of tokenCounts) {
        if (count > settings.context_window) {
          throw providerErrors.contextLengthExceeded(publicModelId, count, settings.context_window);
        }
      }
      await waitForFirstByte(settings, { timeout: false }, faults);
      const fault = decideFault(settings, { timeout: false }, environment.random);
      if (fault?.kind === 'error') throw fault.error;
      if (fault?.kind === 'hang') await hangUntilAborted(faults);
      if (fault?.kind === 'stream-interrupted') throw upstreamUnavailable(502);
      return {
        model: modelId,
        embeddings: request.input.map((text) => embedText(text, dimensions)),
        usage: { promptTokens: tokenCounts.reduce((sum, count) => sum + count, 0) },
      };
    },
  };
}
