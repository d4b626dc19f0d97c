import { describe, expect, it } from 'vitest';
import { canonicalJson, conversationText, exactCacheKey, semanticScope } from './cache-key.ts';

const request = {
  messages: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Hello' },
  ],
  temperature: 0,
};
const base = { organizationId: 'org_a', group: 'sim/fast', request };

describe('cache keys', () => {
  it('serialises objects canonically', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 2 }] })).toBe('{"a":[{"c":2}],"b":1}');
  });

  it('hashes the normalised request, never the raw body', () => {
    const key = exactCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('Hello');
    expect(exactCacheKey({ ...base, request: { ...request, user: 'end-user-1' } })).toBe(key);
    const parts = {
      ...request,
      messages: [
        request.messages[0]!,
        { role: 'user' as const, content: [{ type: 'text' as const, text: 'Hello' }] },
      ],
    };
    expect(exactCacheKey({ ...base, request: parts })).toBe(key);
  });

  it('tells apart what only Anthropic models receive (thinking, betas), not how it is delivered or who asks', () => {
    const anthropic = (headers: Record<string, string>, body: Record<string, unknown>) => ({
      ...base,
      request: { ...request, passthrough: { anthropic: { headers, body } } },
    });
    const body = { model: 'sim/fast', max_tokens: 10, messages: [{ role: 'user', content: 'Hello' }] };
    const key = exactCacheKey(anthropic({}, body));
    expect(
      exactCacheKey(anthropic({}, { ...body, stream: true, model: 'alias', metadata: { user_id: 'u' } })),
    ).toBe(key);
    expect(exactCacheKey(anthropic({ 'anthropic-version': '2023-06-01' }, body))).toBe(key);
    expect(
      exactCacheKey(anthropic({}, { ...body, thinking: { type: 'enabled', budget_tokens: 1024 } })),
    ).not.toBe(key);
    expect(exactCacheKey(anthropic({ 'anthropic-beta': 'b1' }, body))).not.toBe(key);
    // The semantic scope compares conversations by meaning: their bytes stay out of it.
    const other = { ...body, messages: [{ role: 'user', content: 'Hi there' }] };
    expect(semanticScope(anthropic({}, other))).toBe(semanticScope(anthropic({}, body)));
    expect(semanticScope(anthropic({ 'anthropic-beta': 'b1' }, body))).not.toBe(
      semanticScope(anthropic({}, body)),
    );
  });

  it('changes with the organisation, the group and every output parameter', () => {
    const key = exactCacheKey(base);
    const variants = [
      { ...base, organizationId: 'org_b' },
      { ...base, group: 'sim/smart' },
      { ...base, request: { ...request, temperature: 0.2 } },
      { ...base, request: { ...request, maxTokens: 10 } },
      { ...base, request: { ...request, seed: 1 } },
      { ...base, request: { ...request, stop: ['x'] } },
      { ...base, request: { ...request, n: 2 } },
      { ...base, request: { ...request, responseFormat: { type: 'json_object' as const } } },
      { ...base, request: { ...request, tools: [{ name: 'f', parameters: { type: 'object' } }] } },
      { ...base, request: { ...request, toolChoice: 'required' as const } },
    ];
    const keys = new Set(variants.map(exactCacheKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });

  it('scopes the semantic layer by system prompt but not by the user turn', () => {
    const scope = semanticScope(base);
    const otherQuestion = {
      ...request,
      messages: [request.messages[0]!, { role: 'user' as const, content: 'Bye' }],
    };
    expect(semanticScope({ ...base, request: otherQuestion })).toBe(scope);
    const otherSystem = {
      ...request,
      messages: [{ role: 'system' as const, content: 'Be long.' }, request.messages[1]!],
    };
    expect(semanticScope({ ...base, request: otherSystem })).not.toBe(scope);
    expect(semanticScope({ ...base, organizationId: 'org_b' })).not.toBe(scope);
    expect(conversationText(request)).toBe('user: Hello');
  });
});
