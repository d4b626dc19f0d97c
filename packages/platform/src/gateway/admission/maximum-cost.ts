import type { PriceTable } from '../../metering/index.ts';
import type { RouteCandidate } from '../../routing/index.ts';
import type { ChatQuote } from '../chat-gateway.ts';

/** Every deployment a request may reach: its candidates and those of its fallback groups. */
export function reachableCandidates(quote: ChatQuote): RouteCandidate[] {
  const reachable = [...quote.routePlan.candidates];
  for (const group of [quote.routePlan.contextWindowFallback, quote.routePlan.contentPolicyFallback]) {
    if (group !== null) reachable.push(...quote.expandGroup(group));
  }
  return reachable;
}

/**
 * The most a request can cost in pico-USD: every prompt token at the dearest input price (cache
 * writes included) and every allowed completion token at the output price, on the dearest
 * deployment it may reach. An unpriced model costs nothing, as the meter bills it.
 */
export function maximumCostPicoUsd(
  candidates: readonly RouteCandidate[],
  prices: PriceTable,
  promptTokens: number,
  completionTokens: number,
): bigint {
  let maximum = 0n;
  for (const candidate of candidates) {
    const price = prices.priceFor(candidate.model.publicId);
    if (!price) continue;
    // why: a prompt-cache write may bill above the input price; reserve at the dearest of them.
    const input = [price.cacheWriteInputPicoUsd, price.cacheWriteOneHourInputPicoUsd].reduce(
      (high, value) => (value > high ? value : high),
      price.inputPicoUsd,
    );
    const cost = BigInt(promptTokens) * input + BigInt(completionTokens) * price.outputPicoUsd;
    if (cost > maximum) maximum = cost;
  }
  return maximum;
}

/** Pico-USD → nano-USD, rounded up, so a reservation is never short by rounding. */
export function picoToNanoUsdRoundedUp(picoUsd: bigint): number {
  return Number((picoUsd + 999n) / 1000n);
}
