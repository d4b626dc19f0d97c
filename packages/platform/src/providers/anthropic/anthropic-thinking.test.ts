import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatStreamPart } from '../../model/index.ts';
import { readServerSentEvents } from '../http/index.ts';
import { convertAnthropicStream } from './anthropic-stream.ts';
import { convertAnthropicResponse } from './convert-anthropic-response.ts';

/** The documented thinking fixtures: reasoning and signatures come through exactly as sent. */
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function bodyOf(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

describe('Anthropic thinking', () => {
  it('keeps thinking and redacted_thinking blocks of a message, with the 1-hour cache writes', () => {
    const body = JSON.parse(fixture('thinking.json')) as {
      content: Array<{ signature?: string; data?: string }>;
    };
    const result = convertAnthropicResponse(body, 'claude-sonnet-5-5');
    expect(result.choices[0]?.reasoning).toEqual([
      { type: 'thinking', text: expect.stringContaining('12231'), signature: body.content[0]?.signature },
      { type: 'redacted', data: body.content[1]?.data },
    ]);
    expect(result.choices[0]?.content).toBe('27 × 453 = 12,231.');
    expect(result.usage).toEqual({
      promptTokens: 1050,
      completionTokens: 120,
      cachedPromptTokens: 0,
      cacheWritePromptTokens: 1000,
      cacheWriteOneHourPromptTokens: 600,
    });
  });

  it('streams thinking deltas and the signature before the text and tool call', async () => {
    const text = fixture('thinking-stream.chunks.txt');
    const parts: ChatStreamPart[] = [];
    for await (const part of convertAnthropicStream(readServerSentEvents(bodyOf(text)))) parts.push(part);
    const signature = /"signature":"([^"]+)"/.exec(text)?.[1];
    expect(parts.slice(0, 4)).toEqual([
      { type: 'reasoning-delta', choiceIndex: 0, delta: 'The user wants the weather in Paris.' },
      { type: 'reasoning-delta', choiceIndex: 0, delta: ' I should call get_weather.' },
      { type: 'reasoning-signature', choiceIndex: 0, signature },
      { type: 'text-delta', choiceIndex: 0, delta: 'Let me check.' },
    ]);
    expect(parts.at(-1)).toEqual({
      type: 'usage',
      usage: { promptTokens: 2030, completionTokens: 85, cachedPromptTokens: 2000 },
    });
  });
});
