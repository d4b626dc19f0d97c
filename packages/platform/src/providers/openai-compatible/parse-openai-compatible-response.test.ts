import { describe, expect, it } from 'vitest';
import { parseOpenAICompatibleResponse, type ResponseContext } from './parse-openai-compatible-response.ts';

const context: ResponseContext = { provider: 'test', requestedModel: 'model-1' };

describe('parseOpenAICompatibleResponse', () => {
  it('returns every choice (n > 1) with its own finish reason', () => {
    const result = parseOpenAICompatibleResponse(
      {
        id: 'chatcmpl-1',
        model: 'model-1-2026',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'One' }, finish_reason: 'stop' },
          { index: 1, message: { role: 'assistant', content: 'Two, cut' }, finish_reason: 'length' },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
      },
      context,
    );
    expect(result).toEqual({
      providerResponseId: 'chatcmpl-1',
      model: 'model-1-2026',
      choices: [
        { index: 0, content: 'One', toolCalls: [], finishReason: 'stop' },
        { index: 1, content: 'Two, cut', toolCalls: [], finishReason: 'length' },
      ],
      usage: { promptTokens: 3, completionTokens: 4, cachedPromptTokens: 0 },
    });
  });

  it('reads the legacy function_call, fills in missing tool call ids, and ignores unknown fields', () => {
    const result = parseOpenAICompatibleResponse(
      {
        object: 'chat.completion',
        prompt_logprobs: null,
        choices: [
          {
            message: {
              role: 'assistant',
              content: null,
              reasoning_content: 'let me think',
              tool_calls: [{ type: 'function', function: { name: 'first', arguments: '{}' } }],
              function_call: { name: 'second', arguments: '{"a":1}' },
            },
            finish_reason: 'function_call',
            stop_reason: 128009,
          },
        ],
      },
      context,
    );
    expect(result.model).toBe('model-1');
    expect(result.usage).toBeNull();
    expect(result.choices[0]).toEqual({
      index: 0,
      content: null,
      toolCalls: [
        { id: 'call_0_0', name: 'first', arguments: '{}' },
        { id: 'call_0_1', name: 'second', arguments: '{"a":1}' },
      ],
      finishReason: 'tool_calls',
      // Thinking models (DeepSeek, Kimi, vLLM) put their reasoning in `reasoning_content`.
      reasoning: [{ type: 'thinking', text: 'let me think' }],
    });
  });

  it('reads cached prompt tokens from each known field', () => {
    const usage = (fields: Record<string, unknown>) =>
      parseOpenAICompatibleResponse(
        {
          choices: [{ message: { content: 'x' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 100, completion_tokens: 1, ...fields },
        },
        context,
      ).usage?.cachedPromptTokens;
    expect(usage({ prompt_tokens_details: { cached_tokens: 40 } })).toBe(40);
    expect(usage({ cached_tokens: 30 })).toBe(30);
    expect(usage({ prompt_cache_hit_tokens: 20 })).toBe(20);
    expect(usage({ prompt_tokens_details: null })).toBe(0);
  });

  it('fails with CONTENT_FILTERED when every choice was filtered before any output', () => {
    const body = {
      choices: [{ index: 0, finish_reason: 'content_filter', content_filter_results: 'x' }],
    };
    expect(() => parseOpenAICompatibleResponse(body, context)).toThrow(
      expect.objectContaining({ code: 'CONTENT_FILTERED', status: 400 }),
    );
    expect(() =>
      parseOpenAICompatibleResponse(body, {
        ...context,
        describeContentFilter: (value) => `because ${value}`,
      }),
    ).toThrow(expect.objectContaining({ message: 'test refused the content: because x' }));
  });

  it('keeps output that a filter cut off part-way, marked content_filter', () => {
    const result = parseOpenAICompatibleResponse(
      {
        choices: [
          { index: 0, message: { content: 'The first half' }, finish_reason: 'content_filter' },
          { index: 1, message: { content: null }, finish_reason: 'content_filter' },
        ],
      },
      context,
    );
    expect(result.choices.map((choice) => choice.finishReason)).toEqual(['content_filter', 'content_filter']);
    expect(result.choices[0]?.content).toBe('The first half');
  });

  it('reports a body that is not a chat completion as a bad response', () => {
    expect(() => parseOpenAICompatibleResponse({ object: 'list', data: [] }, context)).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE', retryable: true }),
    );
  });
});
