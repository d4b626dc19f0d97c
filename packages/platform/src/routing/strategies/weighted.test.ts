import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/index.ts';
import { orderWeighted } from './weighted.ts';

const deployments = [
  { id: 'azure/gpt-4o-east', weight: 5 },
  { id: 'azure/gpt-4o-west', weight: 3 },
  { id: 'openai/gpt-4o', weight: 2 },
];

describe('orderWeighted', () => {
  it('picks the first deployment in proportion to its weight over 10,000 draws', () => {
    const random = seededRandom(42);
    const firsts = new Map<string, number>();
    for (let draw = 0; draw < 10_000; draw++) {
      const first = orderWeighted(deployments, random)[0]!.id;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    expect((firsts.get('azure/gpt-4o-east') ?? 0) / 10_000).toBeCloseTo(0.5, 1);
    expect(Math.abs((firsts.get('azure/gpt-4o-east') ?? 0) / 10_000 - 0.5)).toBeLessThan(0.02);
    expect(Math.abs((firsts.get('azure/gpt-4o-west') ?? 0) / 10_000 - 0.3)).toBeLessThan(0.02);
    expect(Math.abs((firsts.get('openai/gpt-4o') ?? 0) / 10_000 - 0.2)).toBeLessThan(0.02);
  });

  it('draws the second place by weight among the rest', () => {
    const random = seededRandom(7);
    let westSecondAfterEast = 0;
    let eastFirst = 0;
    for (let draw = 0; draw < 10_000; draw++) {
      const order = orderWeighted(deployments, random);
      if (order[0]!.id !== 'azure/gpt-4o-east') continue;
      eastFirst++;
      if (order[1]!.id === 'azure/gpt-4o-west') westSecondAfterEast++;
    }
    // Given east first, west comes second with probability 3 / (3 + 2).
    expect(Math.abs(westSecondAfterEast / eastFirst - 0.6)).toBeLessThan(0.03);
  });

  it('returns a permutation with zero-weight deployments last, in config order', () => {
    const random = seededRandom(1);
    const withStandbys = [{ id: 'standby/a', weight: 0 }, ...deployments, { id: 'standby/b', weight: 0 }];
    for (let draw = 0; draw < 100; draw++) {
      const order = orderWeighted(withStandbys, random).map((deployment) => deployment.id);
      expect([...order].sort()).toEqual(withStandbys.map((deployment) => deployment.id).sort());
      expect(order.slice(-2)).toEqual(['standby/a', 'standby/b']);
    }
  });

  it('is reproducible with the same seed and uses no randomness for one deployment', () => {
    const first = Array.from(
      { length: 20 },
      (
        (random) => () =>
          orderWeighted(deployments, random)
      )(seededRandom(9)),
    );
    const second = Array.from(
      { length: 20 },
      (
        (random) => () =>
          orderWeighted(deployments, random)
      )(seededRandom(9)),
    );
    expect(first).toEqual(second);
    let calls = 0;
    const counting = () => {
      calls++;
      return 0.5;
    };
    expect(orderWeighted([{ id: 'sim/fast', weight: 1 }], counting)).toEqual([{ id: 'sim/fast', weight: 1 }]);
    expect(calls).toBe(0);
  });

  it('handles a random source at its upper edge', () => {
    expect(orderWeighted(deployments, () => 0.999_999_999_9).map((deployment) => deployment.id)).toHaveLength(
      3,
    );
  });
});
