import type { PriceTable, TokenPrice } from '../../metering/index.ts';
import type { ModelCatalog } from '../../routing/index.ts';
import type { ModelPricing } from './run-context.ts';

/**
 * Prices for budget reservations: the catalog's model for a public id or alias; for any other
 * name (a routing group or policy, which may route anywhere) the dearest known price, so a
 * reservation is never too small.
 */
export function createModelPricing(sources: {
  catalog: () => ModelCatalog;
  prices: () => PriceTable;
}): ModelPricing {
  return {
    priceFor(modelName) {
      const prices = sources.prices();
      let publicId: string | null = null;
      try {
        publicId = sources.catalog().resolve(modelName).publicId;
      } catch {
        publicId = null;
      }
      if (publicId !== null) return prices.priceFor(publicId);
      return dearest(
        sources
          .catalog()
          .list()
          .map((entry) => prices.priceFor(entry.descriptor.id)),
      );
    },
  };
}

function dearest(prices: ReadonlyArray<TokenPrice | null>): TokenPrice | null {
  let best: TokenPrice | null = null;
  for (const price of prices) {
    if (price === null) continue;
    if (best === null || price.outputPicoUsd + price.inputPicoUsd > best.outputPicoUsd + best.inputPicoUsd)
      best = price;
  }
  return best;
}
