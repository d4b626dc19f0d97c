import { beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../model/index.ts';
import {
  allProviders,
  buildTestRouter,
  candidateIds,
  chatInput,
  simulatedProviders,
} from './routing-test-support.ts';

let simulated: Provider[];
let everything: Provider[];
beforeAll(async () => {
  simulated = await simulatedProviders();
  everything = await allProviders();
});

function triples(plan: {
  candidates: Array<{ model: { publicId: string }; group: string; fallbackDepth: number }>;
}) {
  return plan.candidates.map(({ model, group, fallbackDepth }) => [model.publicId, group, fallbackDepth]);
}

describe('fallback chains', () => {
  const groups = {
    'gpt-4o': {
      strategy: 'least-in-flight',
      deployments: [
        { model: 'azure/gpt-4o-eu', weight: 3 },
        { model: 'openai/gpt-4o', weight: 1 },
      ],
      fallbacks: ['claude'],
    },
    claude: {
      strategy: 'lowest-cost',
      deployments: [{ model: 'anthropic/claude-opus-5-5' }, { model: 'anthropic/claude-sonnet-5-5' }],
      fallbacks: ['gpt-4o', 'llama'],
    },
    llama: {
      deployments: [
        { model: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo' },
        { model: 'openai/gpt-4o' },
      ],
      fallbacks: ['claude'],
    },
  };

  it('expands fallback groups in order, each by its own strategy, skipping listed deployments and cycles', () => {
    const { router } = buildTestRouter(everything, { groups });
    const plan = router.plan(chatInput('gpt-4o', 'Hello!'));
    expect(plan.group).toBe('gpt-4o');
    expect(plan.strategy).toBe('least-in-flight');
    expect(triples(plan)).toEqual([
      // least-in-flight, nothing in flight: the higher weight first.
      ['azure/gpt-4o-eu', 'gpt-4o', 0],
      ['openai/gpt-4o', 'gpt-4o', 0],
      // lowest-cost: Sonnet (2 / 10 USD) before Opus (4 / 20 USD).
      ['anthropic/claude-sonnet-5-5', 'claude', 1],
      ['anthropic/claude-opus-5-5', 'claude', 1],
      // claude → gpt-4o is a cycle; llama's openai/gpt-4o is already listed.
      ['together/meta-llama/Llama-3.3-70B-Instruct-Turbo', 'llama', 2],
    ]);
  });

  it('reads the live in-flight counts', () => {
    const { router, stats } = buildTestRouter(everything, { groups });
    const call = stats.begin('azure/gpt-4o-eu');
    expect(candidateIds(router.plan(chatInput('gpt-4o', 'Hello!'))).slice(0, 2)).toEqual([
      'openai/gpt-4o',
      'azure/gpt-4o-eu',
    ]);
    call.end({ ok: true, latencyMs: 10 });
    expect(candidateIds(router.plan(chatInput('gpt-4o', 'Hello!'))).slice(0, 2)).toEqual([
      'azure/gpt-4o-eu',
      'openai/gpt-4o',
    ]);
  });

  it('walks the chain breadth first: a group’s own fallbacks before those of its fallbacks', () => {
    const { router } = buildTestRouter(simulated, {
      groups: {
        a: { deployments: [{ model: 'sim/fast' }], fallbacks: ['b', 'c'] },
        b: { deployments: [{ model: 'sim/smart' }], fallbacks: ['d'] },
        c: { deployments: [{ model: 'sim/mini' }] },
        d: { deployments: [{ model: 'sim/flaky' }], fallbacks: ['a'] },
      },
    });
    expect(triples(router.plan(chatInput('a', 'Hello!')))).toEqual([
      ['sim/fast', 'a', 0],
      ['sim/smart', 'b', 1],
      ['sim/mini', 'c', 2],
      ['sim/flaky', 'd', 3],
    ]);
  });

  it('uses routing.defaults.fallbacks for groups that name none, and follows no default chain twice', () => {
    const { router } = buildTestRouter(simulated, {
      defaults: { fallbacks: ['azure-default', 'second', 'sim/mini'] },
      groups: {
        first: { deployments: [{ model: 'sim/fast' }] },
        second: { deployments: [{ model: 'sim/smart' }, { model: 'sim/fast' }] },
      },
    });
    // azure-default has no deployment here: skipped without taking a depth.
    expect(triples(router.plan(chatInput('first', 'Hello!')))).toEqual([
      ['sim/fast', 'first', 0],
      ['sim/smart', 'second', 1],
      ['sim/mini', 'sim/mini', 2],
    ]);
  });

  it('takes an explicit empty list as no fallback at all', () => {
    const { router } = buildTestRouter(everything, {
      groups: { solo: { deployments: [{ model: 'openai/gpt-4o' }], fallbacks: [] } },
    });
    expect(candidateIds(router.plan(chatInput('solo', 'Hello!')))).toEqual(['openai/gpt-4o']);
  });

  it('survives a group that falls back to itself', () => {
    const { router } = buildTestRouter(simulated, {
      groups: { loop: { deployments: [{ model: 'sim/fast' }], fallbacks: ['loop', 'loop'] } },
    });
    expect(candidateIds(router.plan(chatInput('loop', 'Hello!')))).toEqual(['sim/fast']);
  });

  it('moves deployments that cannot hold the prompt to the end, keeping them as a last resort', () => {
    const { router } = buildTestRouter(simulated, {
      groups: {
        small: {
          deployments: [
            { model: 'sim/mini', weight: 1000 },
            { model: 'sim/fast', weight: 1 },
          ],
          fallbacks: [],
        },
      },
    });
    expect(candidateIds(router.plan(chatInput('small', 'Hello!', { promptTokens: 10 })))).toEqual([
      'sim/mini',
      'sim/fast',
    ]);
    expect(candidateIds(router.plan(chatInput('small', 'Hello!', { promptTokens: 50_000 })))).toEqual([
      'sim/fast',
      'sim/mini',
    ]);
  });

  it('draws weighted orders from the injected random source, reproducibly', () => {
    const config = {
      groups: {
        spread: {
          deployments: [
            { model: 'sim/fast', weight: 1 },
            { model: 'sim/smart', weight: 1 },
            { model: 'sim/flaky', weight: 0 },
          ],
          fallbacks: [],
        },
      },
    };
    const draw = (seed: number) => {
      const { router } = buildTestRouter(simulated, config, { seed });
      return Array.from({ length: 50 }, () =>
        candidateIds(router.plan(chatInput('spread', 'Hello!'))).join(','),
      );
    };
    expect(draw(3)).toEqual(draw(3));
    expect(new Set(draw(3))).toEqual(
      new Set(['sim/fast,sim/smart,sim/flaky', 'sim/smart,sim/fast,sim/flaky']),
    );
  });
});

describe('context-window and content-policy fallbacks', () => {
  it('resolves the configured groups, or null when they have nothing to offer', () => {
    const { router } = buildTestRouter(everything, {
      groups: {
        chat: {
          deployments: [{ model: 'openai/gpt-4o' }],
          context_window_fallback: 'long-context',
          content_policy_fallback: 'claude',
        },
        claude: { deployments: [{ model: 'anthropic/claude-sonnet-5-5' }] },
        plain: { deployments: [{ model: 'openai/gpt-4o-mini' }], content_policy_fallback: 'embeddings' },
        embeddings: { deployments: [{ model: 'openai/text-embedding-3-small' }] },
      },
    });
    expect(router.plan(chatInput('chat', 'Hello!'))).toMatchObject({
      contextWindowFallback: 'long-context',
      contentPolicyFallback: 'claude',
    });
    // A config group without them gets none; an embedding group cannot take a chat refusal.
    expect(router.plan(chatInput('plain', 'Hello!'))).toMatchObject({
      contextWindowFallback: null,
      contentPolicyFallback: null,
    });
  });

  it('drops a special fallback whose group is unavailable', () => {
    const { router } = buildTestRouter(simulated, {
      groups: {
        chat: { deployments: [{ model: 'sim/fast' }], content_policy_fallback: 'anthropic-default' },
      },
    });
    expect(router.plan(chatInput('chat', 'Hello!')).contentPolicyFallback).toBeNull();
  });

  it('expands a fallback group for the attempt loop, largest context first', () => {
    const { router } = buildTestRouter(everything);
    expect(router.expandGroup('long-context', { promptTokens: 300_000 })).toEqual([
      expect.objectContaining({
        group: 'long-context',
        fallbackDepth: 0,
        model: expect.objectContaining({ publicId: 'moonshot/kimi-k3' }),
      }),
    ]);
    expect(buildTestRouter(simulated).router.expandGroup('azure-default', { promptTokens: 10 })).toEqual([]);
    expect(router.expandGroup('nothing', { promptTokens: 10 })).toEqual([]);
    expect(router.expandGroup('auto', { promptTokens: 10 })).toEqual([]);
    expect(candidateIds({ candidates: router.expandGroup('openai/gpt-4.1', { promptTokens: 10 }) })).toEqual([
      'openai/gpt-4.1',
    ]);
  });

  it('includes the expanded group’s own explicit fallbacks but not the default chain', () => {
    const { router } = buildTestRouter(simulated, {
      groups: {
        big: { deployments: [{ model: 'sim/smart' }], fallbacks: ['other'] },
        other: { deployments: [{ model: 'sim/fast' }] },
      },
    });
    expect(triples({ candidates: router.expandGroup('big', { promptTokens: 10 }) })).toEqual([
      ['sim/smart', 'big', 0],
      ['sim/fast', 'other', 1],
    ]);
  });
});

describe('kinds', () => {
  it('drops deployments of another kind from a group, with a warning', () => {
    const { router, warnings } = buildTestRouter(simulated, {
      groups: { mixed: { deployments: [{ model: 'sim/fast' }, { model: 'sim/embed' }], fallbacks: [] } },
    });
    expect(warnings).toContain(
      "routing.groups.mixed.deployments[1].model: 'sim/embed' is a embedding model but the group serves chat models; the deployment is dropped",
    );
    expect(candidateIds(router.plan(chatInput('mixed', 'Hello!')))).toEqual(['sim/fast']);
  });

  it('routes an embedding group for embeddings only, skipping chat fallbacks', () => {
    const { router } = buildTestRouter(everything, {
      groups: {
        vectors: {
          deployments: [{ model: 'azure/embed-eu' }, { model: 'openai/text-embedding-3-small' }],
          strategy: 'lowest-cost',
          fallbacks: ['balanced', 'sim/embed', 'sim/fast'],
        },
      },
    });
    const plan = router.plan({ ...chatInput('vectors', ''), request: { messages: [] }, kind: 'embedding' });
    // azure/embed-eu has no price: unpriced last.
    expect(triples(plan)).toEqual([
      ['openai/text-embedding-3-small', 'vectors', 0],
      ['azure/embed-eu', 'vectors', 0],
      ['sim/embed', 'sim/embed', 1],
    ]);
    expect(() => router.plan(chatInput('vectors', 'Hello!'))).toThrow(
      expect.objectContaining({ code: 'MODEL_CAPABILITY_MISSING' }),
    );
  });

  it('never picks an embedding deployment for a built-in group', () => {
    const { router } = buildTestRouter(everything);
    expect(candidateIds(router.plan(chatInput('azure-default', 'Hello!')))[0]).toBe('azure/gpt-4o-eu');
  });
});

describe('configuration checks', () => {
  it('throws for a group named like a model id, an alias or auto', () => {
    expect(() =>
      buildTestRouter(simulated, { groups: { 'sim/fast': { deployments: [{ model: 'sim/smart' }] } } }),
    ).toThrow(/routing\.groups\.sim\/fast/);
    expect(() =>
      buildTestRouter(
        simulated,
        { groups: { quick: { deployments: [{ model: 'sim/smart' }] } } },
        { aliases: { quick: 'sim/fast' } },
      ),
    ).toThrow(/routing\.groups\.quick/);
    expect(() =>
      buildTestRouter(simulated, { groups: { auto: { deployments: [{ model: 'sim/smart' }] } } }),
    ).toThrow(/routing\.groups\.auto/);
  });

  it('warns about unavailable deployments, empty groups and names that are nothing', () => {
    const { router, warnings } = buildTestRouter(simulated, {
      defaults: { fallbacks: ['azure-default', 'nowhere'] },
      groups: {
        gone: { deployments: [{ model: 'openai/gpt-4o' }] },
        partial: {
          deployments: [
            { model: 'anthropic/claude-opus-5-5' },
            { model: 'sim/smart' },
            { model: 'sim/smart' },
          ],
          fallbacks: ['gone', 'missing'],
          context_window_fallback: 'also-missing',
        },
      },
      auto: { rules: [{ name: 'r', when: {}, target: 'ghost' }] },
    });
    expect(warnings).toEqual([
      "routing.groups.gone.deployments[0].model: 'openai/gpt-4o' is not an available model; the deployment is dropped",
      'routing.groups.gone: no deployment is available; the group is unavailable',
      "routing.groups.partial.deployments[0].model: 'anthropic/claude-opus-5-5' is not an available model; the deployment is dropped",
      "routing.groups.partial.deployments[2].model: 'sim/smart' is listed twice; the later entry is dropped",
      "routing.defaults.fallbacks[1]: 'nowhere' is neither a routing group nor an available model; it is skipped",
      "routing.groups.partial.fallbacks[1]: 'missing' is neither a routing group nor an available model; it is skipped",
      "routing.groups.partial.context_window_fallback: 'also-missing' is neither a routing group nor an available model; it is skipped",
      "routing.auto.rules[0] (r).target: 'ghost' is neither a routing group nor an available model; it is skipped",
    ]);
    expect(candidateIds(router.plan(chatInput('partial', 'Hello!')))).toEqual(['sim/smart']);
    expect(() => router.plan(chatInput('gone', 'Hello!'))).toThrow(
      expect.objectContaining({ code: 'MODEL_NOT_FOUND' }),
    );
    expect(router.plan(chatInput('auto', 'Hello!')).decision?.matchedRule).toBe('default');
  });

  it('lets an alias hide a built-in group of the same name, with a warning', () => {
    const { router, warnings } = buildTestRouter(simulated, {}, { aliases: { economy: 'sim/smart' } });
    expect(warnings).toEqual([
      "routing: the alias 'economy' hides the built-in routing group of the same name",
    ]);
    expect(router.plan(chatInput('auto', 'Hello!', { costPreference: 'cost' })).decision?.target).toBe(
      'economy',
    );
    expect(candidateIds(router.plan(chatInput('economy', 'Hello!')))).toEqual(['sim/smart']);
  });
});

describe('groups()', () => {
  it('lists built-in and config groups with their resolved deployments and chains', () => {
    const { router } = buildTestRouter(simulated, {
      groups: {
        team: {
          strategy: 'lowest-latency',
          deployments: [{ model: 'sim/fast', weight: 2 }],
          fallbacks: ['balanced'],
        },
      },
    });
    const listing = router.groups();
    expect(listing.map((group) => group.name)).toEqual([
      'anthropic-default',
      'azure-default',
      'balanced',
      'economy',
      'gpt-4-class',
      'long-context',
      'moonshot-default',
      'strongest',
      'team',
      'together-default',
    ]);
    expect(listing.find((group) => group.name === 'team')).toEqual({
      name: 'team',
      source: 'config',
      description: null,
      strategy: 'lowest-latency',
      kind: 'chat',
      available: true,
      routesLikeAuto: false,
      deployments: [{ model: 'sim/fast', weight: 2, contextWindow: 128_000 }],
      fallbacks: ['balanced'],
      contextWindowFallback: null,
      contentPolicyFallback: null,
    });
    expect(listing.find((group) => group.name === 'azure-default')).toMatchObject({
      source: 'built-in',
      available: false,
      kind: null,
      deployments: [],
      fallbacks: ['azure-default', 'anthropic-default', 'together-default', 'moonshot-default'],
    });
    expect(listing.find((group) => group.name === 'economy')).toMatchObject({
      strategy: 'first-available',
      deployments: [{ model: 'sim/mini', weight: 1, contextWindow: 16_000 }],
      contextWindowFallback: 'long-context',
    });
  });
});
