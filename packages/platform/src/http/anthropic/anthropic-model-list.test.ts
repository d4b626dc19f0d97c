import { describe, expect, it } from 'vitest';
import { anthropicModelPage, toAnthropicModel, wantsAnthropicShape } from './anthropic-model-list.ts';

const models = ['a/1', 'a/2', 'b/1', 'b/2', 'c/1'].map((id) => toAnthropicModel(id, 1_780_000_000));

describe("models in Anthropic's shape", () => {
  it('are chosen by the anthropic-version header', () => {
    expect(wantsAnthropicShape({ 'anthropic-version': '2023-06-01' })).toBe(true);
    expect(wantsAnthropicShape({ authorization: 'Bearer x' })).toBe(false);
  });

  it('describe a model with its id as display name and an RFC 3339 creation time', () => {
    expect(models[0]).toEqual({
      type: 'model',
      id: 'a/1',
      display_name: 'a/1',
      created_at: new Date(1_780_000_000_000).toISOString(),
    });
  });

  it('page forwards with after_id and backwards with before_id', () => {
    const first = anthropicModelPage(models, { limit: '2' });
    expect(first).toMatchObject({ has_more: true, first_id: 'a/1', last_id: 'a/2' });
    const next = anthropicModelPage(models, { limit: '2', after_id: 'a/2' });
    expect(next).toMatchObject({ has_more: true, first_id: 'b/1', last_id: 'b/2' });
    const last = anthropicModelPage(models, { limit: '2', after_id: 'b/2' });
    expect(last).toMatchObject({ has_more: false, first_id: 'c/1', last_id: 'c/1' });
    const before = anthropicModelPage(models, { limit: '2', before_id: 'c/1' });
    expect(before).toMatchObject({ has_more: true, first_id: 'b/1', last_id: 'b/2' });
    expect(anthropicModelPage(models, {}).data).toHaveLength(5);
  });

  it('refuse a bad limit naming it', () => {
    expect(() => anthropicModelPage(models, { limit: '0' })).toThrow(/limit/);
  });
});
