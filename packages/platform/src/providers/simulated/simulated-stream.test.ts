import { beforeAll, describe, expect, it } from 'vitest';
import { isPlatformError } from '../../errors/index.ts';
import type { ChatRequest, ChatStreamPart, ToolCall } from '../../model/index.ts';
import { loadTokenizer, type Tokenizer } from '../../support/index.ts';
import { createSimulatedProvider } from './simulated-provider.ts';
import {
  collect,
  collectUntilError,
  recordingClock,
  streamedText,
  userRequest,
} from './simulated-test-support.ts';

const options = { requestId: 'request-1' };
let tokenizer: Tokenizer;

beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

function streamedToolCalls(parts: readonly ChatStreamPart[], choiceIndex = 0): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const part of parts) {
    if (part.type === 'tool-call-start' && part.choiceIndex === choiceIndex) {
      calls[part.toolCallIndex] = { id: part.id, name: part.name, arguments: '' };
    }
    if (part.type === 'tool-call-delta' && part.choiceIndex === choiceIndex) {
      const call = calls[part.toolCallIndex];
      if (call) call.arguments += part.argumentsDelta;
    }
  }
  return calls;
}

const weatherTool = {
  name: 'get_weather',
  description: 'Get the weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('simulated streams', () => {
  it.each<[string, ChatRequest]>([
    ['text', userRequest('Explain vector databases to a beginner')],
    ['two choices', userRequest('Suggest a name for a cat', { n: 2 })],
    ['limited text', userRequest('Explain vector databases', { maxTokens: 7 })],
    ['json', userRequest('Give JSON', { responseFormat: { type: 'json_object' } })],
    ['tool calls', userRequest('What is the weather in Tokyo?', { tools: [weatherTool] })],
  ])('concatenate to the generate() result (%s)', async (_, request) => {
    const model = createSimulatedProvider({ tokenizer, clock: recordingClock() }).languageModel('fast');
    const result = await model.generate(request, options);
    const parts = await collect(model.stream(request, options));
    for (const choice of result.choices) {
      expect(streamedText(parts, choice.index)).toBe(choice.content ?? '');
      expect(streamedToolCalls(parts, choice.index)).toEqual(choice.toolCalls);
      const finish = parts.find((part) => part.type === 'finish' && part.choiceIndex === choice.index);
      expect(finish).toEqual({
        type: 'finish',
        choiceIndex: choice.index,
        finishReason: choice.finishReason,
      });
    }
    expect(parts.at(-1)).toEqual({ type: 'usage', usage: result.usage });
    expect(parts.filter((part) => part.type === 'usage')).toHaveLength(1);
  });

  it('sends text in small deltas and tool arguments in several pieces', async () => {
    const model = createSimulatedProvider({ tokenizer, clock: recordingClock() }).languageModel('fast');
    const text = await collect(model.stream(userRequest('Explain vector databases'), options));
    const deltas = text.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []));
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.every((delta) => delta.length <= 12)).toBe(true);
    const tools = await collect(
      model.stream(userRequest('Weather in Tokyo?', { tools: [weatherTool] }), options),
    );
    expect(tools.map((part) => part.type).slice(0, 2)).toEqual(['tool-call-start', 'tool-call-delta']);
    expect(tools.filter((part) => part.type === 'tool-call-delta').length).toBeGreaterThan(1);
    expect(tools.map((part) => part.type).slice(-3)).toEqual(['tool-call-end', 'finish', 'usage']);
  });

  it('waits the latency before the first part and chunk_delay_ms between deltas', async () => {
    const clock = recordingClock();
    const provider = createSimulatedProvider({
      tokenizer,
      clock,
      models: { slow: { latency_ms: 250, chunk_delay_ms: 15 } },
    });
    const parts = await collect(provider.languageModel('slow').stream(userRequest('Hello'), options));
    const deltaCount = parts.filter((part) => part.type === 'text-delta').length;
    expect(clock.sleeps[0]).toBe(250);
    expect(clock.sleeps.slice(1)).toEqual(new Array(deltaCount - 1).fill(15));
  });

  it('stops promptly with a coded error when aborted between chunks', async () => {
    const controller = new AbortController();
    const provider = createSimulatedProvider({ tokenizer, models: { slow: { chunk_delay_ms: 10_000 } } });
    const stream = provider
      .languageModel('slow')
      .stream(userRequest('Hello'), { ...options, signal: controller.signal });
    const startedAt = Date.now();
    const reading = collectUntilError(stream);
    setTimeout(() => controller.abort(), 20);
    const { parts, error } = await reading;
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(parts).toHaveLength(1);
    expect(isPlatformError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'PROVIDER_TIMEOUT' });
  });
});
