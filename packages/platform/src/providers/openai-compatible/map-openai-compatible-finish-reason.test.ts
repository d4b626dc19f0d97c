import { describe, expect, it } from 'vitest';
import { mapOpenAICompatibleFinishReason } from './map-openai-compatible-finish-reason.ts';

describe('mapOpenAICompatibleFinishReason', () => {
  it('maps the documented reasons', () => {
    expect(mapOpenAICompatibleFinishReason('stop')).toBe('stop');
    expect(mapOpenAICompatibleFinishReason('length')).toBe('length');
    expect(mapOpenAICompatibleFinishReason('tool_calls')).toBe('tool_calls');
    expect(mapOpenAICompatibleFinishReason('content_filter')).toBe('content_filter');
  });

  it('treats the legacy function_call as a tool call and eos as a stop', () => {
    expect(mapOpenAICompatibleFinishReason('function_call')).toBe('tool_calls');
    expect(mapOpenAICompatibleFinishReason('eos')).toBe('stop');
    expect(mapOpenAICompatibleFinishReason('max_tokens')).toBe('length');
  });

  it('counts a missing or unknown reason as a stop', () => {
    expect(mapOpenAICompatibleFinishReason(null)).toBe('stop');
    expect(mapOpenAICompatibleFinishReason(undefined)).toBe('stop');
    expect(mapOpenAICompatibleFinishReason('end_turn')).toBe('stop');
  });
});
