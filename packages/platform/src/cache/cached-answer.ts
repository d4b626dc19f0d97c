import type {
  ChatChoice,
  ChatResult,
  ChatStreamPart,
  FinishReason,
  ReasoningBlock,
  TokenUsage,
  ToolCall,
} from '../model/index.ts';

/** A stream part that carries content (usage travels in the outcome instead). */
export type ContentPart = Exclude<ChatStreamPart, { type: 'usage' }>;

/** One complete, successful answer as the cache stores it: enough to serve JSON or SSE. */
export interface CachedAnswer {
  version: 1;
  /** The public id `provider/model` that produced it. */
  servedModel: string;
  /** The model id the provider reported. */
  providerModel: string;
  providerResponseId?: string;
  group: string;
  choices: ChatChoice[];
  usage: TokenUsage;
  usageSource: 'provider' | 'tokenizer';
  /** Epoch ms when it was stored, and when it expires (set by the cache when it stores it). */
  storedAt: number;
  expiresAt: number;
}

/** A fresh answer before the cache stamps when it was stored and when it expires. */
export type UnstampedAnswer = Omit<CachedAnswer, 'storedAt' | 'expiresAt'>;

export function serializeAnswer(answer: CachedAnswer): string {
  return JSON.stringify(answer);
}

/** Parses a stored answer; null for anything that is not one (a corrupt or foreign value is a miss). */
export function parseAnswer(text: string): CachedAnswer | null {
  try {
    const value = JSON.parse(text) as Partial<CachedAnswer>;
    if (value?.version !== 1 || !Array.isArray(value.choices) || typeof value.servedModel !== 'string')
      return null;
    return value as CachedAnswer;
  } catch {
    return null;
  }
}

/** The answer as the `ChatResult` a provider would have returned. */
export function resultFromAnswer(answer: CachedAnswer): ChatResult {
  return {
    ...(answer.providerResponseId ? { providerResponseId: answer.providerResponseId } : {}),
    model: answer.providerModel,
    choices: answer.choices.map((choice) => ({
      ...choice,
      toolCalls: choice.toolCalls.map((call) => ({ ...call })),
    })),
    usage: { ...answer.usage },
  };
}

/** Splits text after whitespace into pieces of about `size` characters, so a replay looks like a stream. */
function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space + 1;
    }
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** The answer as the content parts a streaming provider would have sent, in order. */
export function partsFromAnswer(answer: CachedAnswer, pieceSize = 24): ContentPart[] {
  const parts: ContentPart[] = [];
  for (const choice of answer.choices) {
    const choiceIndex = choice.index;
    for (const block of choice.reasoning ?? []) {
      if (block.type === 'redacted') {
        parts.push({ type: 'reasoning-redacted', choiceIndex, data: block.data });
        continue;
      }
      parts.push({ type: 'reasoning-delta', choiceIndex, delta: block.text });
      if (block.signature !== undefined) {
        parts.push({ type: 'reasoning-signature', choiceIndex, signature: block.signature });
      }
    }
    for (const delta of splitText(choice.content ?? '', pieceSize)) {
      parts.push({ type: 'text-delta', choiceIndex, delta });
    }
    choice.toolCalls.forEach((call, toolCallIndex) => {
      parts.push({ type: 'tool-call-start', choiceIndex, toolCallIndex, id: call.id, name: call.name });
      if (call.arguments.length > 0) {
        parts.push({ type: 'tool-call-delta', choiceIndex, toolCallIndex, argumentsDelta: call.arguments });
      }
      parts.push({ type: 'tool-call-end', choiceIndex, toolCallIndex });
    });
    parts.push({ type: 'finish', choiceIndex, finishReason: choice.finishReason });
  }
  return parts;
}

interface CollectedChoice {
  reasoning: ReasoningBlock[];
  text: string;
  sawText: boolean;
  toolCalls: ToolCall[];
  finishReason: FinishReason | null;
}

/**
 * Rebuilds the answer of a stream from its parts. Only a stream where every choice finished is
 * complete: a stream that broke off is never turned into an answer.
 */
export class StreamCollector {
  private readonly choices = new Map<number, CollectedChoice>();

  add(part: ContentPart): void {
    const choice = this.choice(part.choiceIndex);
    switch (part.type) {
      case 'text-delta':
        choice.text += part.delta;
        choice.sawText = true;
        break;
      case 'tool-call-start':
        choice.toolCalls[part.toolCallIndex] = { id: part.id, name: part.name, arguments: '' };
        break;
      case 'tool-call-delta': {
        const call = choice.toolCalls[part.toolCallIndex];
        if (call) call.arguments += part.argumentsDelta;
        break;
      }
      case 'finish':
        choice.finishReason = part.finishReason;
        break;
      case 'tool-call-end':
        break;
      case 'reasoning-delta': {
        const open = choice.reasoning.at(-1);
        if (open?.type === 'thinking' && open.signature === undefined) open.text += part.delta;
        else choice.reasoning.push({ type: 'thinking', text: part.delta });
        break;
      }
      case 'reasoning-signature': {
        const open = choice.reasoning.at(-1);
        if (open?.type === 'thinking' && open.signature === undefined) open.signature = part.signature;
        else choice.reasoning.push({ type: 'thinking', text: '', signature: part.signature });
        break;
      }
      case 'reasoning-redacted':
        choice.reasoning.push({ type: 'redacted', data: part.data });
        break;
    }
  }

  /** The choices, or null when the stream is incomplete (a choice never finished, or none came). */
  complete(): ChatChoice[] | null {
    if (this.choices.size === 0) return null;
    const result: ChatChoice[] = [];
    for (const [index, choice] of [...this.choices].sort(([left], [right]) => left - right)) {
      if (choice.finishReason === null) return null;
      result.push({
        index,
        content: choice.sawText || choice.toolCalls.length === 0 ? choice.text : null,
        toolCalls: choice.toolCalls.filter((call) => call !== undefined),
        finishReason: choice.finishReason,
        ...(choice.reasoning.length > 0 ? { reasoning: choice.reasoning } : {}),
      });
    }
    return result;
  }

  private choice(index: number): CollectedChoice {
    let found = this.choices.get(index);
    if (!found) {
      found = { reasoning: [], text: '', sawText: false, toolCalls: [], finishReason: null };
      this.choices.set(index, found);
    }
    return found;
  }
}
