import { describe, expect, it } from 'vitest';
import { autoModelName, builtInRoutingGroups, defaultAutoRules } from './default-routing-policy.ts';
import { createModelCatalog } from './model-catalog.ts';
import { routingConfigSchema } from './routing-config-schema.ts';
import { allProviders } from './routing-test-support.ts';

describe('the default routing policy', () => {
  it('is valid config data', () => {
    const parsed = routingConfigSchema.parse({ auto: { rules: defaultAutoRules } });
    expect(parsed.auto.rules).toEqual(defaultAutoRules);
    expect(parsed.auto.default_target).toBe('balanced');
  });

  it('targets built-in groups, as does the default fallback chain', () => {
    const defaults = routingConfigSchema.parse({});
    for (const name of [
      ...defaultAutoRules.map((rule) => rule.target),
      defaults.auto.default_target,
      ...defaults.defaults.fallbacks,
    ]) {
      expect(builtInRoutingGroups, name).toHaveProperty([name]);
    }
    expect(builtInRoutingGroups).not.toHaveProperty([autoModelName]);
  });

  it('names only chat models that the provider catalogs offer, or provider wildcards', async () => {
    const catalog = createModelCatalog(await allProviders(), {});
    const chatIds = new Set(
      catalog
        .list()
        .filter((entry) => entry.descriptor.kind === 'chat')
        .map((entry) => entry.descriptor.id),
    );
    for (const [name, group] of Object.entries(builtInRoutingGroups)) {
      for (const entry of group.preference) {
        if (entry.endsWith('/*')) continue;
        expect(chatIds.has(entry), `${name}: ${entry}`).toBe(true);
      }
      for (const fallback of [group.contextWindowFallback, group.contentPolicyFallback]) {
        if (fallback !== null)
          expect(builtInRoutingGroups, `${name} → ${fallback}`).toHaveProperty([fallback]);
      }
    }
  });

  it('ends every general-purpose group with a simulated model, so it works without keys', () => {
    for (const name of ['strongest', 'gpt-4-class', 'long-context', 'economy', 'balanced']) {
      expect(builtInRoutingGroups[name]?.preference.at(-1), name).toMatch(/^sim\//);
    }
  });
});
