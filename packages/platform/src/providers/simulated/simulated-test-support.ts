import type { ChatRequest, ChatStreamPart } from '../../model/index.ts';
import type { Clock } from '../../support/index.ts';

/** A clock for tests: records every sleep and resolves at once, unless already aborted. */
export interface RecordingClock extends Clock {
  readonly sleeps: number[];
}

/** Builds a clock that advances by each sleep instead of waiting. */
export function recordingClock(): RecordingClock {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(milliseconds, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(milliseconds);
      now += milliseconds;
    },
  };
}

/** A request with one user message. */
export function userRequest(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'fast', messages: [{ role: 'user', content: text }], ...extra };
}

/** Reads a stream to its end. */
export async function collect(stream: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** Reads a stream until it throws; returns the parts before the error and the error. */
export async function collectUntilError(
  stream: AsyncIterable<ChatStreamPart>,
): Promise<{ parts: ChatStreamPart[]; error: unknown }> {
  const parts: ChatStreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
  } catch (error) {
    return { parts, error };
  }
  return { parts, error: undefined };
}

/** The text of a choice, put together from its deltas. */
export function streamedText(parts: readonly ChatStreamPart[], choiceIndex = 0): string {
  return parts
    .map((part) => (part.type === 'text-delta' && part.choiceIndex === choiceIndex ? part.delta : ''))
    .join('');
}

/** Cosine similarity of two vectors of equal length. */
export function cosine(first: readonly number[], second: readonly number[]): number {
  let dot = 0;
  let firstNorm = 0;
  let secondNorm = 0;
  first.forEach((value, index) => {
    const other = second[index] ?? 0;
    dot += value * other;
    firstNorm += value * value;
    secondNorm += other * other;
  });
  return dot / Math.sqrt(firstNorm * secondNorm);
}
