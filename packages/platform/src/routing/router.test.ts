import { beforeAll, describe, expect, it } from 'vitest';
import { isPlatformError } from '../errors/index.ts';
import type { Provider, ToolDefinition } from '../model/index.ts';
import type { RouteInput } from './router.ts';
import {
  allProviders,
  buildTestRouter,
  candidateIds,
  chatInput,
  simulatedProviders,
} from './routing-test-support.ts';

const complexQuestion = [
  'Design a multi-region rate limiter for our gateway. Here is the current code:',
  '```ts\nexport function allow(bucket: Bucket, now: number): boolean {\n  const tokens = Math.min(bucket.capacity, bucket.tokens + (now - bucket.at) * bucket.rate);\n  return tokens >= 1;\n}\n```',
  '1. Why does it drift across replicas, and how would you prove a fix correct?',
  '2. Compare Redis Lua scripts with a Postgres counter: analyze the trade-offs step by step.',
  '3. How would you optimize it for 50k requests per second? Which edge cases remain?',
].join('\n');

const tools: ToolDefinition[] = [{ name: 'search', parameters: { type: 'object' } }];

type Row = [label: string, input: RouteInput, rule: string, target: string, firstCandidate: string];

function expectRow(providers: () => Provider[], [_label, input, rule, target, first]: Row) {
  const { router } = buildTestRouter(providers());
  const plan = router.plan(input);
  expect(plan.decision?.matchedRule).toBe(rule);
  expect(plan.decision?.target).toBe(target);
  expect(plan.group).toBe(target);
  expect(plan.requestedModel).toBe('auto');
  expect(candidateIds(plan)[0]).toBe(first);
}

let simulated: Provider[];
let everything: Provider[];
beforeAll(async () => {
  simulated = await simulatedProviders();
  everything = await allProviders();
});

describe('auto routing by the default policy', () => {
  const cases = (models: Record<string, string>): Row[] => [
    ['a greeting → balanced', chatInput('auto', 'Hello!'), 'default', 'balanced', models.balanced!],
    [
      'a complex request → strongest',
      chatInput('auto', complexQuestion, { promptTokens: 900 }),
      'complex',
      'strongest',
      models.strongest!,
    ],
    [
      'a premium plan → gpt-4-class',
      chatInput('auto', 'Hello!', { plan: 'premium' }),
      'premium-plan',
      'gpt-4-class',
      models.gpt4!,
    ],
    [
      'an enterprise plan → gpt-4-class',
      chatInput('auto', 'Hello!', { plan: 'enterprise' }),
      'premium-plan',
      'gpt-4-class',
      models.gpt4!,
    ],
    [
      'a free plan → balanced',
      chatInput('auto', 'Hello!', { plan: 'free' }),
      'default',
      'balanced',
      models.balanced!,
    ],
    [
      '150k tokens of context → long-context',
      chatInput('auto', 'Summarise this.', { promptTokens: 150_000 }),
      'long-context',
      'long-context',
      models.long!,
    ],
    [
      'exactly 100k tokens is not above 100k',
      chatInput('auto', 'Hello!', { promptTokens: 100_000 }),
      'default',
      'balanced',
      models.balanced!,
    ],
    [
      'a cost preference → economy',
      chatInput('auto', 'Hello!', { costPreference: 'cost' }),
      'cost-optimised',
      'economy',
      models.economy!,
    ],
    [
      'a quality preference alone → balanced',
      chatInput('auto', 'Hello!', { costPreference: 'quality' }),
      'default',
      'balanced',
      models.balanced!,
    ],
    [
      'complexity before plan',
      chatInput('auto', complexQuestion, { promptTokens: 900, plan: 'premium' }),
      'complex',
      'strongest',
      models.strongest!,
    ],
    [
      'plan before cost preference',
      chatInput('auto', 'Hello!', { plan: 'premium', costPreference: 'cost' }),
      'premium-plan',
      'gpt-4-class',
      models.gpt4!,
    ],
    [
      'context before cost preference',
      chatInput('auto', 'Summarise.', { promptTokens: 150_000, costPreference: 'cost' }),
      'long-context',
      'long-context',
      models.long!,
    ],
  ];

  describe('with only the simulated models', () => {
    it.each(
      cases({
        balanced: 'sim/fast',
        strongest: 'sim/smart',
        gpt4: 'sim/smart',
        long: 'sim/smart',
        economy: 'sim/mini',
      }),
    )('%s', (...row) => expectRow(() => simulated, row));

    it('skips a rule whose target cannot hold the prompt: economy (sim/mini, 16k) for a 20k prompt', () => {
      const { router } = buildTestRouter(simulated);
      const plan = router.plan(chatInput('auto', 'Hello!', { promptTokens: 20_000, costPreference: 'cost' }));
      expect(plan.decision).toMatchObject({ matchedRule: 'default', target: 'balanced' });
      expect(candidateIds(plan)).toEqual(['sim/fast']);
    });

    it('plans a greeting to sim/fast with no fallback, since no real provider is configured', () => {
      const { router } = buildTestRouter(simulated);
      const plan = router.plan(chatInput('auto', 'Hello!'));
      expect(plan).toMatchObject({
        strategy: 'first-available',
        contextWindowFallback: 'long-context',
        contentPolicyFallback: null,
        decision: {
          complexity: 0,
          plan: null,
          costPreference: 'balanced',
          features: { hasCode: false, turns: 1, toolCount: 0 },
        },
      });
      expect(plan.candidates).toEqual([expect.objectContaining({ group: 'balanced', fallbackDepth: 0 })]);
    });
  });

  describe('with every real provider', () => {
    it.each(
      cases({
        balanced: 'openai/gpt-4o-mini',
        strongest: 'anthropic/claude-opus-5-5',
        gpt4: 'openai/gpt-4o',
        long: 'moonshot/kimi-k3',
        economy: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
      }),
    )('%s', (...row) => expectRow(() => everything, row));

    it('skips gpt-4-class (gpt-4o, 128k) for a premium 150k-token prompt and takes long-context', () => {
      const { router } = buildTestRouter(everything);
      const plan = router.plan(chatInput('auto', 'Summarise.', { promptTokens: 150_000, plan: 'premium' }));
      expect(plan.decision).toMatchObject({ matchedRule: 'long-context', target: 'long-context' });
      expect(candidateIds(plan)[0]).toBe('moonshot/kimi-k3');
    });

    it('follows the spec chain Azure → Anthropic → Together → Moonshot behind the target', () => {
      const { router } = buildTestRouter(everything);
      const plan = router.plan(chatInput('auto', 'Hello!'));
      expect(
        plan.candidates.map(({ model, group, fallbackDepth }) => [model.publicId, group, fallbackDepth]),
      ).toEqual([
        ['openai/gpt-4o-mini', 'balanced', 0],
        ['azure/gpt-4o-eu', 'azure-default', 1],
        ['anthropic/claude-sonnet-5-5', 'anthropic-default', 2],
        ['together/meta-llama/Llama-3.3-70B-Instruct-Turbo', 'together-default', 3],
        ['moonshot/kimi-k3', 'moonshot-default', 4],
      ]);
    });
  });

  it('is deterministic for the same request', () => {
    const { router } = buildTestRouter(everything);
    const input = chatInput('auto', complexQuestion, { promptTokens: 900 });
    expect(router.plan(input)).toEqual(router.plan(input));
  });

  it('refuses auto for embeddings', () => {
    const { router } = buildTestRouter(simulated);
    expect(() => router.plan({ ...chatInput('auto', 'x'), kind: 'embedding' })).toThrow(
      expect.objectContaining({ code: 'MODEL_CAPABILITY_MISSING' }),
    );
  });
});

describe('auto routing by configured rules', () => {
  it('replaces the default rules and default target', () => {
    const { router } = buildTestRouter(simulated, {
      auto: {
        rules: [{ name: 'agents', when: { has_tools: true }, target: 'strongest' }],
        default_target: 'economy',
      },
    });
    expect(router.plan(chatInput('auto', 'Hello!')).decision).toMatchObject({
      matchedRule: 'default',
      target: 'economy',
    });
    expect(router.plan(chatInput('auto', 'Hello!', { request: { tools } })).decision).toMatchObject({
      matchedRule: 'agents',
      target: 'strongest',
    });
    // The built-in complexity rule is gone.
    expect(router.plan(chatInput('auto', complexQuestion, { promptTokens: 900 })).decision?.matchedRule).toBe(
      'default',
    );
    expect(router.autoPolicy()).toEqual({
      rules: [{ name: 'agents', when: { has_tools: true }, target: 'strongest' }],
      defaultTarget: 'economy',
    });
  });

  it('skips a rule whose target group is unavailable and tries the next', () => {
    const { router, warnings } = buildTestRouter(simulated, {
      groups: { azure: { deployments: [{ model: 'azure/gpt-4o-eu' }] } },
      auto: {
        rules: [
          { name: 'first', when: {}, target: 'azure' },
          { name: 'second', when: {}, target: 'sim/smart' },
        ],
      },
    });
    expect(warnings).toContain(
      "routing.groups.azure.deployments[0].model: 'azure/gpt-4o-eu' is not an available model; the deployment is dropped",
    );
    const plan = router.plan(chatInput('auto', 'Hello!'));
    expect(plan.decision).toMatchObject({ matchedRule: 'second', target: 'sim/smart' });
    expect(plan.group).toBe('sim/smart');
    expect(plan.strategy).toBe('pinned');
  });

  it('gives a model-id target the default fallback chain, since the caller asked for auto', () => {
    const { router } = buildTestRouter(everything, {
      auto: { rules: [{ name: 'all', when: {}, target: 'openai/gpt-4.1' }] },
    });
    expect(candidateIds(router.plan(chatInput('auto', 'Hello!')))).toEqual([
      'openai/gpt-4.1',
      'azure/gpt-4o-eu',
      'anthropic/claude-sonnet-5-5',
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'moonshot/kimi-k3',
    ]);
  });

  it('uses a config group that replaces a built-in one', () => {
    const { router } = buildTestRouter(simulated, {
      groups: { balanced: { deployments: [{ model: 'sim/mini' }] } },
    });
    const plan = router.plan(chatInput('auto', 'Hello!'));
    expect(plan.decision?.target).toBe('balanced');
    expect(candidateIds(plan)).toEqual(['sim/mini']);
    expect(plan.strategy).toBe('weighted');
  });

  it('routes a group whose deployment is auto by the policy', () => {
    const { router } = buildTestRouter(simulated, {
      groups: { smart: { deployments: [{ model: 'auto' }] } },
    });
    const plan = router.plan(chatInput('smart', complexQuestion, { promptTokens: 900 }));
    expect(plan.requestedModel).toBe('smart');
    expect(plan.decision).toMatchObject({ matchedRule: 'complex', target: 'strongest' });
    expect(router.groups().find((group) => group.name === 'smart')).toMatchObject({
      routesLikeAuto: true,
      strategy: 'auto',
    });
  });

  it('fails with 503 when nothing matches and the default target is unavailable', () => {
    const { router, warnings } = buildTestRouter(simulated, {
      auto: { rules: [], default_target: 'azure-default' },
    });
    expect(warnings.some((warning) => warning.startsWith('routing.auto.default_target'))).toBe(true);
    expect(() => router.plan(chatInput('auto', 'Hello!'))).toThrow(
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', status: 503 }),
    );
  });
});

describe('explicit models and unknown names', () => {
  it('pins an explicit model id to itself', () => {
    const { router } = buildTestRouter(everything);
    const plan = router.plan(chatInput('openai/gpt-4o', 'Hello!'));
    expect(plan).toMatchObject({
      requestedModel: 'openai/gpt-4o',
      group: 'openai/gpt-4o',
      strategy: 'pinned',
      contextWindowFallback: null,
      contentPolicyFallback: null,
      decision: null,
    });
    expect(plan.candidates).toEqual([expect.objectContaining({ group: 'openai/gpt-4o', fallbackDepth: 0 })]);
  });

  it('adds the default chain when fallback_explicit_models is true, without repeating the model', () => {
    const { router } = buildTestRouter(everything, { defaults: { fallback_explicit_models: true } });
    expect(candidateIds(router.plan(chatInput('anthropic/claude-sonnet-5-5', 'Hello!')))).toEqual([
      'anthropic/claude-sonnet-5-5',
      'azure/gpt-4o-eu',
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'moonshot/kimi-k3',
    ]);
  });

  it('resolves an alias to its model', () => {
    const { router } = buildTestRouter(simulated, {}, { aliases: { quick: 'sim/fast' } });
    const plan = router.plan(chatInput('quick', 'Hello!'));
    expect(plan.requestedModel).toBe('quick');
    expect(candidateIds(plan)).toEqual(['sim/fast']);
  });

  it('answers 404 MODEL_NOT_FOUND for an unknown name', () => {
    const { router } = buildTestRouter(simulated);
    let caught: unknown;
    try {
      router.plan(chatInput('openai/gpt-9', 'Hello!'));
    } catch (error) {
      caught = error;
    }
    expect(isPlatformError(caught) && caught.code === 'MODEL_NOT_FOUND' && caught.status === 404).toBe(true);
  });

  it('answers 404 for a known group with no available deployment', () => {
    const { router } = buildTestRouter(simulated);
    expect(() => router.plan(chatInput('azure-default', 'Hello!'))).toThrow(
      expect.objectContaining({ code: 'MODEL_NOT_FOUND', status: 404 }),
    );
  });

  it('refuses a model of the other kind', () => {
    const { router } = buildTestRouter(simulated);
    expect(() => router.plan({ ...chatInput('sim/embed', 'Hello!') })).toThrow(
      expect.objectContaining({ code: 'MODEL_CAPABILITY_MISSING' }),
    );
    expect(() => router.plan({ ...chatInput('sim/fast', 'Hello!'), kind: 'embedding' })).toThrow(
      expect.objectContaining({ code: 'MODEL_CAPABILITY_MISSING' }),
    );
  });
});
