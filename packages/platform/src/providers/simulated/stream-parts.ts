import type { ChatResult, ChatStreamPart } from '../../model/index.ts';

/** Long words and JSON are split further, so deltas stay a few characters each. */
const maximumTextDelta = 12;
const argumentsDeltaLength = 8;

/**
 * The parts a stream of `result` yields: per choice its text deltas or tool calls, then its
 * `finish`; one `usage` part last. Concatenating the deltas gives back the result exactly.
 */
export function toStreamParts(result: ChatResult): ChatStreamPart[] {
  const parts: ChatStreamPart[] = [];
  for (const choice of result.choices) {
    const choiceIndex = choice.index;
    for (const delta of textDeltas(choice.content ?? ''))
      parts.push({ type: 'text-delta', choiceIndex, delta });
    choice.toolCalls.forEach((call, toolCallIndex) => {
      parts.push({ type: 'tool-call-start', choiceIndex, toolCallIndex, id: call.id, name: call.name });
      for (const argumentsDelta of pieces(call.arguments, argumentsDeltaLength)) {
        parts.push({ type: 'tool-call-delta', choiceIndex, toolCallIndex, argumentsDelta });
      }
      parts.push({ type: 'tool-call-end', choiceIndex, toolCallIndex });
    });
    parts.push({ type: 'finish', choiceIndex, finishReason: choice.finishReason });
  }
  if (result.usage !== null) parts.push({ type: 'usage', usage: result.usage });
  return parts;
}

/** A word with its leading space per delta, as real models stream. */
function textDeltas(text: string): string[] {
  const words = text.match(/\s*\S+|\s+/g) ?? [];
  return words.flatMap((word) => pieces(word, maximumTextDelta));
}

/** Splits by code points, so no delta ends inside a surrogate pair. */
function pieces(text: string, length: number): string[] {
  const characters = [...text];
  const result: string[] = [];
  for (let start = 0; start < characters.length; start += length) {
    result.push(characters.slice(start, start + length).join(''));
  }
  return result;
}
