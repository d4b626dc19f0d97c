import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openAIChatChunkSchema } from './openai-compatible-api.ts';
import { isPlainTextChunk } from './plain-text-chunk.ts';

// why: every provider over the shared base keeps its documented wire fixtures in its own folder.
const fixtureFolders = ['openai', 'together', 'moonshot', 'custom'].map(
  (provider) => new URL(`../${provider}/__fixtures__/`, import.meta.url),
);

function fixtureChunks(): unknown[] {
  const chunks: unknown[] = [];
  for (const folder of fixtureFolders) {
    for (const file of readdirSync(folder)) {
      if (!file.endsWith('.chunks.txt')) continue;
      const text = readFileSync(new URL(file, folder), 'utf8');
      for (const line of text.split('\n')) {
        if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
        try {
          chunks.push(JSON.parse(line.slice('data: '.length)));
        } catch {
          // Fixtures of broken streams hold lines that are not JSON; the schema path handles them.
        }
      }
    }
  }
  return chunks;
}

function readFields(chunk: ReturnType<typeof openAIChatChunkSchema.parse>) {
  return {
    usage: chunk.usage ?? null,
    error: chunk.error ?? null,
    choices: (chunk.choices ?? []).map((choice) => ({
      index: choice.index ?? null,
      content: choice.delta?.content ?? null,
      toolCalls: choice.delta?.tool_calls ?? null,
      functionCall: choice.delta?.function_call ?? null,
      finishReason: choice.finish_reason ?? null,
      usage: choice.usage ?? null,
    })),
  };
}

describe('isPlainTextChunk', () => {
  it('takes only chunks the schema accepts, and reads them the same way', () => {
    const chunks = fixtureChunks();
    const plain = chunks.filter(isPlainTextChunk);
    expect(plain.length).toBeGreaterThan(5);
    expect(plain.length).toBeLessThan(chunks.length);
    for (const chunk of plain) {
      const parsed = openAIChatChunkSchema.safeParse(chunk);
      expect(parsed.success).toBe(true);
      if (parsed.success) expect(readFields(chunk as typeof parsed.data)).toEqual(readFields(parsed.data));
    }
  });

  it('leaves usage, tool calls, errors and odd shapes to the schema', () => {
    const text = { id: 'c', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] };
    expect(isPlainTextChunk(text)).toBe(true);
    expect(isPlainTextChunk({ ...text, usage: { prompt_tokens: 1 } })).toBe(false);
    expect(isPlainTextChunk({ error: { message: 'overloaded' } })).toBe(false);
    expect(isPlainTextChunk({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0 }] } }] })).toBe(false);
    expect(isPlainTextChunk({ choices: [{ index: 0, delta: { function_call: { name: 'f' } } }] })).toBe(
      false,
    );
    expect(isPlainTextChunk({ choices: [{ index: '0', delta: { content: 'hi' } }] })).toBe(false);
    expect(isPlainTextChunk({ choices: [{ index: 0, delta: { content: 7 } }] })).toBe(false);
    expect(isPlainTextChunk({ choices: [{ index: 0, usage: { total_tokens: 3 } }] })).toBe(false);
    expect(isPlainTextChunk({ choices: {} })).toBe(false);
    expect(isPlainTextChunk([])).toBe(false);
    expect(isPlainTextChunk('text')).toBe(false);
  });
});
