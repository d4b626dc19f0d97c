import { describe, expect, it } from 'vitest';
import { createPriceTable } from '../../metering/index.ts';
import { anthropicPrices } from '../../providers/anthropic/index.ts';
import { openAIModels } from '../../providers/openai/index.ts';
import { pricesFromCatalog } from '../../providers/openai-compatible/index.ts';
import { togetherModels } from '../../providers/together/index.ts';
import { estimateRequestCost, orderLowestCost } from './lowest-cost.ts';

const prices = createPriceTable(
  {},
  {
    ...pricesFromCatalog('openai', openAIModels),
    ...pricesFromCatalog('together', togetherModels),
    ...anthropicPrices(),
  },
);

describe('estimateRequestCost', () => {
  it('prices prompt tokens at the input price and the expected completion at the output price', () => {
    // gpt-4o: 2.50 USD / 1M input = 2,500,000 pico-USD per token; 10.00 output = 10,000,000.
    expect(estimateRequestCost(prices, 'openai/gpt-4o', { promptTokens: 1000, completionTokens: 500 })).toBe(
      1000n * 2_500_000n + 500n * 10_000_000n,
    );
    expect(
      estimateRequestCost(prices, 'together/deepseek-ai/DeepSeek-V3', {
        promptTokens: 1,
        completionTokens: 1,
      }),
    ).toBeNull();
  });
});

describe('orderLowestCost', () => {
  const deployments = [
    { id: 'anthropic/claude-sonnet-5-5', weight: 1 },
    { id: 'together/deepseek-ai/DeepSeek-V3', weight: 5 },
    { id: 'openai/gpt-4o', weight: 1 },
    { id: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo', weight: 1 },
    { id: 'openai/gpt-4o-mini', weight: 1 },
    { id: 'sim/mini', weight: 1 },
  ];

  it('orders by the estimated price of the request, unpriced last', () => {
    const order = orderLowestCost(deployments, prices, { promptTokens: 2000, completionTokens: 500 });
    expect(order.map((deployment) => deployment.id)).toEqual([
      // 2000 × 0.05 + 500 × 0.20 = 200 µUSD
      'sim/mini',
      // 2000 × 0.15 + 500 × 0.60 = 600 µUSD
      'openai/gpt-4o-mini',
      // 2500 × 0.88 = 2,200 µUSD
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
      // 2000 × 2 + 500 × 10 = 9,000 µUSD
      'anthropic/claude-sonnet-5-5',
      // 2000 × 2.5 + 500 × 10 = 10,000 µUSD
      'openai/gpt-4o',
      'together/deepseek-ai/DeepSeek-V3',
    ]);
  });

  it('weighs output prices by the expected completion', () => {
    // gpt-4o-mini is cheaper on input (0.15 against 0.18 USD / 1M), Llama 3.1 8B on output (0.18 against 0.60).
    const pair = [
      { id: 'together/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', weight: 1 },
      { id: 'openai/gpt-4o-mini', weight: 1 },
    ];
    const cheapest = (completionTokens: number) =>
      orderLowestCost(pair, prices, { promptTokens: 1000, completionTokens })[0]!.id;
    expect(cheapest(0)).toBe('openai/gpt-4o-mini');
    expect(cheapest(1000)).toBe('together/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo');
  });

  it('breaks equal prices by weight, then config order', () => {
    const order = orderLowestCost(
      [
        { id: 'sim/fast', weight: 1 },
        { id: 'sim/flaky', weight: 2 },
        { id: 'unpriced/a', weight: 1 },
        { id: 'unpriced/b', weight: 3 },
      ],
      prices,
      { promptTokens: 10, completionTokens: 10 },
    );
    expect(order.map((deployment) => deployment.id)).toEqual([
      'sim/flaky',
      'sim/fast',
      'unpriced/b',
      'unpriced/a',
    ]);
  });
});
