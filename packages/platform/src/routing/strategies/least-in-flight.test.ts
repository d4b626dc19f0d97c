import { describe, expect, it } from 'vitest';
import { orderLeastInFlight } from './least-in-flight.ts';

describe('orderLeastInFlight', () => {
  it('puts the deployment with fewest calls in flight first, ties by weight then config order', () => {
    const inFlight: Record<string, number> = {
      'a/one': 3,
      'a/two': 1,
      'a/three': 1,
      'a/four': 1,
      'a/five': 0,
    };
    const order = orderLeastInFlight(
      [
        { id: 'a/one', weight: 9 },
        { id: 'a/two', weight: 1 },
        { id: 'a/three', weight: 2 },
        { id: 'a/four', weight: 1 },
        { id: 'a/five', weight: 1 },
      ],
      { inFlight: (deployment) => inFlight[deployment] ?? 0 },
    );
    expect(order.map((deployment) => deployment.id)).toEqual([
      'a/five',
      'a/three',
      'a/two',
      'a/four',
      'a/one',
    ]);
  });
});
