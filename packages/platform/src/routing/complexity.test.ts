import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest, ToolDefinition } from '../model/index.ts';
import { loadTokenizer, type Tokenizer } from '../support/index.ts';
import { scoreComplexity, scoreFeatures } from './complexity.ts';

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

function request(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'auto', messages: [{ role: 'user', content: text }], ...extra };
}

function score(chat: ChatRequest): number {
  return scoreComplexity(chat, tokenizer.countChatPrompt(chat.messages)).score;
}

const serviceCode = `\`\`\`ts
export async function settle(ledger: Ledger, reservation: Reservation): Promise<void> {
  const actual = await ledger.usageFor(reservation.id);
  if (actual > reservation.amount) {
    await ledger.charge(reservation.organizationId, actual - reservation.amount);
  } else {
    await ledger.refund(reservation.organizationId, reservation.amount - actual);
  }
}
\`\`\``;

const designQuestion = [
  'We run a multi-tenant LLM gateway. Budgets are reserved before each call and settled afterwards:',
  serviceCode,
  'Please analyze this design step by step and answer each part:',
  '1. Why can two replicas settling the same reservation double-refund, and how would you prove the fix is correct?',
  '2. Compare a single Redis Lua script with a Postgres advisory lock: what are the trade-offs for latency and failure modes?',
  '3. How would you optimize the settlement path for 10k requests per second without losing exactness?',
  '4. Which edge cases (client disconnects mid-stream, provider timeouts, retries) break the current code?',
  ...Array.from(
    { length: 30 },
    (_unused, index) =>
      `Context ${index}: reservation ${index} was created at t=${index * 17} ms by replica ${index % 3} for organisation org_${index % 7} with an estimate of ${1000 + index * 13} tokens, and its settlement raced with a retry from the attempt loop.`,
  ),
].join('\n');

describe('scoreComplexity', () => {
  it.each([
    ['a greeting', 'Hello!'],
    ['a polite greeting', 'Hi there, how are you today?'],
    ['thanks', 'thanks, that works'],
    ['a simple fact', 'What is the capital of France?'],
  ])('scores %s below 0.2', (_label, text) => {
    expect(score(request(text))).toBeLessThan(0.2);
  });

  it('scores a long multi-part design question with code above 0.8', () => {
    const chat = request(designQuestion);
    const result = scoreComplexity(chat, tokenizer.countChatPrompt(chat.messages));
    expect(result.features.hasCode).toBe(true);
    expect(result.features.reasoningCues).toBeGreaterThanOrEqual(4);
    expect(result.score).toBeGreaterThan(0.8);
  });

  it('scores a short reasoning question in between', () => {
    const value = score(
      request('Why does a B-tree beat a hash index for range scans? Explain the trade-offs.'),
    );
    expect(value).toBeGreaterThan(0.2);
    expect(value).toBeLessThan(0.8);
  });

  it('is deterministic', () => {
    const chat = request(designQuestion);
    const first = scoreComplexity(chat, 900);
    for (let run = 0; run < 5; run++) expect(scoreComplexity(chat, 900)).toEqual(first);
  });

  it('reports the features behind the score', () => {
    const tools: ToolDefinition[] = [
      { name: 'search', parameters: { type: 'object' } },
      { name: 'fetch', parameters: { type: 'object' } },
    ];
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Think step by step and justify every answer.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Why hello! Let me analyze that.' },
      { role: 'user', content: 'Why is `fetch()` slow? And is it cached?' },
    ];
    expect(scoreComplexity({ messages, tools }, 120).features).toEqual({
      promptTokens: 120,
      hasCode: false,
      // "why" plus one extra question; the system and assistant messages are not read.
      reasoningCues: 2,
      toolCount: 2,
      turns: 2,
    });
  });

  it('detects code in fences and by two signals, but not in prose', () => {
    const features = (text: string) => scoreComplexity(request(text), 10).features.hasCode;
    expect(features('```\nprint(1)\n```')).toBe(true);
    expect(features('Why does const total = items.reduce((sum, item) => sum + item, 0) overflow?')).toBe(
      true,
    );
    expect(features('def area(radius):\n    return 3.14 * radius ** 2 if radius >= 0 && True else 0')).toBe(
      true,
    );
    expect(features('Please import the class list and return it to the library by Monday.')).toBe(false);
    expect(features('Select the best option from the menu.')).toBe(false);
  });

  it('is monotonic in length, code, reasoning cues, tools and turns', () => {
    const base = { promptTokens: 200, hasCode: false, reasoningCues: 1, toolCount: 0, turns: 1 };
    const steps: Array<(features: typeof base) => typeof base> = [
      (features) => ({ ...features, promptTokens: features.promptTokens * 2 }),
      (features) => ({ ...features, hasCode: true }),
      (features) => ({ ...features, reasoningCues: features.reasoningCues + 1 }),
      (features) => ({ ...features, toolCount: features.toolCount + 1 }),
      (features) => ({ ...features, turns: features.turns + 1 }),
    ];
    for (const step of steps) {
      let features = base;
      for (let round = 0; round < 12; round++) {
        const next = step(features);
        expect(scoreFeatures(next)).toBeGreaterThanOrEqual(scoreFeatures(features));
        features = next;
      }
      expect(scoreFeatures(features)).toBeGreaterThan(scoreFeatures(base));
    }
  });

  it('follows the documented formula at its anchors', () => {
    const none = { promptTokens: 0, hasCode: false, reasoningCues: 0, toolCount: 0, turns: 1 };
    expect(scoreFeatures(none)).toBe(0);
    expect(scoreFeatures({ ...none, promptTokens: 32 })).toBe(0);
    expect(scoreFeatures({ ...none, promptTokens: 512 })).toBe(0.15);
    expect(scoreFeatures({ ...none, promptTokens: 8192 })).toBe(0.3);
    expect(scoreFeatures({ ...none, promptTokens: 1_000_000 })).toBe(0.3);
    expect(scoreFeatures({ ...none, hasCode: true })).toBe(0.25);
    expect(scoreFeatures({ ...none, reasoningCues: 2 })).toBe(0.2);
    expect(scoreFeatures({ ...none, reasoningCues: 9 })).toBe(0.4);
    expect(scoreFeatures({ ...none, toolCount: 8 })).toBe(0.15);
    expect(scoreFeatures({ ...none, turns: 10 })).toBe(0.1);
    expect(
      scoreFeatures({ promptTokens: 8192, hasCode: true, reasoningCues: 4, toolCount: 4, turns: 10 }),
    ).toBe(1);
  });

  it('counts more questions and enumerated parts as more reasoning, up to three extra', () => {
    const cues = (text: string) => scoreComplexity(request(text), 10).features.reasoningCues;
    expect(cues('Is it up?')).toBe(0);
    expect(cues('Is it up? Is it fast?')).toBe(1);
    expect(cues('a?b?c?d?e?f?g?')).toBe(3);
    expect(cues('Tasks:\n1. list\n2. sort\n3. print')).toBe(2);
  });

  it('reads image-bearing messages by their text parts', () => {
    const chat: ChatRequest = {
      model: 'auto',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', url: 'https://example.com/a.png' },
            { type: 'text', text: 'Analyze this chart and compare it with last year.' },
          ],
        },
      ],
    };
    expect(scoreComplexity(chat, 100).features.reasoningCues).toBe(2);
  });
});
