import { describe, expect, it } from 'vitest';
import {
  type CachedAnswer,
  parseAnswer,
  partsFromAnswer,
  resultFromAnswer,
  StreamCollector,
  serializeAnswer,
} from './cached-answer.ts';

const answer: CachedAnswer = {
  version: 1,
  servedModel: 'sim/fast',
  providerModel: 'fast',
  group: 'sim/fast',
  choices: [
    {
      index: 0,
      content: 'A fairly long answer that will be split into several pieces.',
      toolCalls: [],
      finishReason: 'stop',
    },
    {
      index: 1,
      content: null,
      toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }],
      finishReason: 'tool_calls',
    },
  ],
  usage: { promptTokens: 10, completionTokens: 20, cachedPromptTokens: 0 },
  usageSource: 'provider',
  storedAt: 1,
  expiresAt: 2,
};

describe('cached answers', () => {
  it('round-trips through its stored text and refuses foreign values', () => {
    expect(parseAnswer(serializeAnswer(answer))).toEqual(answer);
    expect(parseAnswer('{"version":2}')).toBeNull();
    expect(parseAnswer('not json')).toBeNull();
  });

  it('replays as stream parts that collect back into the same choices', () => {
    const parts = partsFromAnswer(answer, 12);
    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(3);
    expect(parts.at(-1)).toEqual({ type: 'finish', choiceIndex: 1, finishReason: 'tool_calls' });
    const collector = new StreamCollector();
    for (const part of parts) collector.add(part);
    expect(collector.complete()).toEqual(answer.choices);
    expect(resultFromAnswer(answer)).toMatchObject({
      model: 'fast',
      choices: answer.choices,
      usage: answer.usage,
    });
  });

  it('treats a stream without a finish for every choice as incomplete', () => {
    const collector = new StreamCollector();
    expect(collector.complete()).toBeNull();
    collector.add({ type: 'text-delta', choiceIndex: 0, delta: 'partial' });
    expect(collector.complete()).toBeNull();
    collector.add({ type: 'finish', choiceIndex: 0, finishReason: 'stop' });
    expect(collector.complete()).toEqual([
      { index: 0, content: 'partial', toolCalls: [], finishReason: 'stop' },
    ]);
  });
});
