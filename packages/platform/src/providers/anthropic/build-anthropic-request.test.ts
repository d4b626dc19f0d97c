import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../model/index.ts';
import { anthropicRequestSchema } from './anthropic-api.ts';
import type { AnthropicModelSettings } from './anthropic-models.ts';
import { buildAnthropicRequest, jsonObjectInstruction } from './build-anthropic-request.ts';

const model: AnthropicModelSettings = {
  id: 'claude-test',
  contextWindow: 200_000,
  maxOutputTokens: 64_000,
  capabilities: { vision: true, tools: true, jsonMode: true, reasoning: true },
  prices: {
    input_per_million: '1',
    output_per_million: '5',
    cached_input_per_million: '0.10',
    cache_write_input_per_million: '1.25',
  },
};

const weatherTool = {
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

function build(request: Partial<ChatRequest>, options: { stream?: boolean; version?: string } = {}) {
  const body = buildAnthropicRequest(
    { model: 'claude-test', messages: [{ role: 'user', content: 'Hi' }], ...request },
    { model, stream: options.stream ?? false, version: options.version ?? '2023-06-01' },
  );
  // Every body we build must be one the documented request schema accepts.
  expect(anthropicRequestSchema.parse(body)).toEqual(body);
  return body;
}

describe('buildAnthropicRequest', () => {
  it('sends max_tokens from the request, else the model’s output limit', () => {
    expect(build({ maxTokens: 50 }).max_tokens).toBe(50);
    expect(build({}).max_tokens).toBe(64_000);
  });

  it('maps sampling, stop sequences, user and streaming', () => {
    expect(
      build({ temperature: 0.2, topP: 0.8, stop: ['END', 'STOP'], user: 'user-7' }, { stream: true }),
    ).toMatchObject({
      temperature: 0.2,
      top_p: 0.8,
      stop_sequences: ['END', 'STOP'],
      metadata: { user_id: 'user-7' },
      stream: true,
    });
    const plain = build({ stop: [] });
    for (const key of [
      'temperature',
      'top_p',
      'stop_sequences',
      'metadata',
      'stream',
      'tools',
      'tool_choice',
    ]) {
      expect(plain).not.toHaveProperty(key);
    }
  });

  it('rejects a temperature above 1 instead of changing it', () => {
    expect(() => build({ temperature: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', param: 'temperature', status: 400 }),
    );
    expect(build({ temperature: 1 }).temperature).toBe(1);
  });

  it('rejects n > 1 and non-zero penalties, which Anthropic cannot honour', () => {
    expect(() => build({ n: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST', param: 'n' }));
    expect(build({ n: 1 })).not.toHaveProperty('n');
    expect(() => build({ presencePenalty: 0.5 })).toThrow(
      expect.objectContaining({ param: 'presence_penalty' }),
    );
    expect(() => build({ frequencyPenalty: -1 })).toThrow(
      expect.objectContaining({ param: 'frequency_penalty' }),
    );
    expect(build({ presencePenalty: 0, frequencyPenalty: 0, seed: 7 })).not.toHaveProperty('seed');
  });

  it('rejects sampling parameters on API versions that removed them', () => {
    expect(() => build({ temperature: 0.5 }, { version: '2026-10-21' })).toThrow(
      expect.objectContaining({ param: 'temperature' }),
    );
    expect(() => build({ topP: 0.5 }, { version: '2026-10-21' })).toThrow(
      expect.objectContaining({ param: 'top_p' }),
    );
    expect(build({}, { version: '2026-10-21' })).not.toHaveProperty('temperature');
  });

  it('converts tools and every tool choice', () => {
    const tools = [
      weatherTool,
      { ...weatherTool, name: 'strict_tool', strict: true, description: undefined },
    ];
    expect(build({ tools, toolChoice: 'auto' })).toMatchObject({
      tools: [
        { name: 'get_weather', description: 'Weather', input_schema: weatherTool.parameters },
        { name: 'strict_tool', input_schema: weatherTool.parameters, strict: true },
      ],
      tool_choice: { type: 'auto' },
    });
    expect(build({ tools, toolChoice: 'required' }).tool_choice).toEqual({ type: 'any' });
    expect(build({ tools, toolChoice: 'none' }).tool_choice).toEqual({ type: 'none' });
    expect(build({ tools, toolChoice: { name: 'get_weather' } }).tool_choice).toEqual({
      type: 'tool',
      name: 'get_weather',
    });
    expect(build({ tools })).not.toHaveProperty('tool_choice');
  });

  it('disables parallel tool use when parallel tool calls are off', () => {
    expect(build({ tools: [weatherTool], parallelToolCalls: false }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(
      build({ tools: [weatherTool], toolChoice: 'required', parallelToolCalls: false }).tool_choice,
    ).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
    expect(build({ tools: [weatherTool], toolChoice: 'auto', parallelToolCalls: true }).tool_choice).toEqual({
      type: 'auto',
    });
  });

  it('rejects a tool choice that needs a tool when there are none', () => {
    expect(() => build({ toolChoice: 'required' })).toThrow(
      expect.objectContaining({ param: 'tool_choice' }),
    );
    expect(build({ toolChoice: 'none' })).not.toHaveProperty('tool_choice');
  });

  it('asks for a JSON schema through output_config.format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    const body = build({ responseFormat: { type: 'json_schema', name: 'thing', schema, strict: true } });
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(body).not.toHaveProperty('system');
    expect(build({ responseFormat: { type: 'text' } })).not.toHaveProperty('output_config');
  });

  it('asks for a JSON object with a system instruction after the caller’s own', () => {
    expect(build({ responseFormat: { type: 'json_object' } }).system).toBe(jsonObjectInstruction);
    const body = build({
      messages: [
        { role: 'system', content: 'You extract data.' },
        { role: 'user', content: 'Hi' },
      ],
      responseFormat: { type: 'json_object' },
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'You extract data.' },
      { type: 'text', text: jsonObjectInstruction },
    ]);
    expect(body).not.toHaveProperty('output_config');
  });

  it('asks for extended thinking from an effort or a budget, below max_tokens', () => {
    expect(build({ reasoning: { effort: 'low' } }).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 2048,
    });
    expect(build({ reasoning: { budgetTokens: 5000 } }).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 5000,
    });
    expect(build({ reasoning: { effort: 'high' }, maxTokens: 4000 }).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 3999,
    });
    expect(build({}).thinking).toBeUndefined();
  });

  it('serves without thinking where Anthropic refuses it: forced tools, sampling, no room, no support', () => {
    const reasoning = { effort: 'medium' } as const;
    expect(build({ reasoning, tools: [weatherTool], toolChoice: 'required' }).thinking).toBeUndefined();
    expect(
      build({ reasoning, tools: [weatherTool], toolChoice: { name: 'get_weather' } }).thinking,
    ).toBeUndefined();
    expect(build({ reasoning, tools: [weatherTool], toolChoice: 'auto' }).thinking).toBeDefined();
    expect(build({ reasoning, temperature: 0.2 }).thinking).toBeUndefined();
    expect(build({ reasoning, maxTokens: 1024 }).thinking).toBeUndefined();
    const plain = buildAnthropicRequest(
      { model: 'claude-test', messages: [{ role: 'user', content: 'Hi' }], reasoning },
      {
        model: { ...model, capabilities: { ...model.capabilities, reasoning: false } },
        stream: false,
        version: '2023-06-01',
      },
    );
    expect(plain.thinking).toBeUndefined();
  });

  it('sends signed and redacted thinking back first in its assistant turn; unsigned reasoning stays behind', () => {
    const body = build({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
          reasoning: [
            { type: 'thinking', text: 'I should call the tool.', signature: 'EqQBCgIYAh+/sig==' },
            { type: 'redacted', data: 'EmwKAhgB' },
            { type: 'thinking', text: 'from another provider' },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: 'Sunny' },
      ],
      tools: [weatherTool],
    });
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should call the tool.', signature: 'EqQBCgIYAh+/sig==' },
        { type: 'redacted_thinking', data: 'EmwKAhgB' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    });
  });
});
