import type { ChatContentPart } from '../../../gateway/index.ts';
import type { ChatResult, FinishReason, TokenUsage, ToolCall } from '../../../model/index.ts';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export function toOpenAIUsage(usage: TokenUsage): OpenAIUsage {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedPromptTokens },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

function toOpenAIToolCalls(toolCalls: readonly ToolCall[]) {
  return toolCalls.map((call) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
  }));
}

/** The `chat.completion` object. `model` is the public id that served the request. */
export function toChatCompletion(
  result: ChatResult,
  meta: { id: string; created: number; model: string; usage: TokenUsage },
) {
  return {
    id: meta.id,
    object: 'chat.completion' as const,
    created: meta.created,
    model: meta.model,
    choices: result.choices.map((choice) => ({
      index: choice.index,
      message: {
        role: 'assistant' as const,
        content: choice.content,
        refusal: null,
        ...(choice.toolCalls.length > 0 ? { tool_calls: toOpenAIToolCalls(choice.toolCalls) } : {}),
      },
      logprobs: null,
      finish_reason: choice.finishReason satisfies FinishReason,
    })),
    usage: toOpenAIUsage(meta.usage),
    system_fingerprint: null,
  };
}

export interface ChunkContext {
  id: string;
  created: number;
  model: string;
  /** With include_usage, OpenAI sends `usage: null` on every chunk but the last. */
  includeUsage: boolean;
  /** Choices that already got their opening `role: assistant` delta. */
  openedChoices: Set<number>;
}

function chunkEnvelope(context: ChunkContext) {
  return {
    id: context.id,
    object: 'chat.completion.chunk',
    created: context.created,
    model: context.model,
    system_fingerprint: null,
  };
}

/**
 * The text around a chunk's one choice, which is the same for every chunk of a stream: serialised
 * once per stream (and again if the model changes), not once per token.
 */
interface ChunkFrame {
  model: string;
  before: string;
  after: string;
}

const chunkFrames = new WeakMap<ChunkContext, ChunkFrame>();

function chunkFrame(context: ChunkContext): ChunkFrame {
  const cached = chunkFrames.get(context);
  if (cached?.model === context.model) return cached;
  const envelope = JSON.stringify(chunkEnvelope(context));
  const frame = {
    model: context.model,
    // `{…envelope…,"choices":[` + choice + `]}` (with `"usage":null` when include_usage is on).
    before: `${envelope.slice(0, -1)},"choices":[`,
    after: context.includeUsage ? '],"usage":null}' : ']}',
  };
  chunkFrames.set(context, frame);
  return frame;
}

function chunk(context: ChunkContext, choice: Record<string, unknown>): string {
  const frame = chunkFrame(context);
  return `${frame.before}${JSON.stringify({ logprobs: null, finish_reason: null, ...choice })}${frame.after}`;
}

/**
 * One internal stream part → the `chat.completion.chunk` objects it becomes (none for
 * tool-call-end), as JSON text ready to send.
 */
export function toChatCompletionChunks(context: ChunkContext, part: ChatContentPart): string[] {
  const chunks: string[] = [];
  const index = part.choiceIndex;
  if (!context.openedChoices.has(index)) {
    context.openedChoices.add(index);
    chunks.push(chunk(context, { index, delta: { role: 'assistant', content: '', refusal: null } }));
  }
  switch (part.type) {
    case 'text-delta':
      chunks.push(chunk(context, { index, delta: { content: part.delta } }));
      break;
    case 'tool-call-start':
      chunks.push(
        chunk(context, {
          index,
          delta: {
            tool_calls: [
              {
                index: part.toolCallIndex,
                id: part.id,
                type: 'function',
                function: { name: part.name, arguments: '' },
              },
            ],
          },
        }),
      );
      break;
    case 'tool-call-delta':
      chunks.push(
        chunk(context, {
          index,
          delta: {
            tool_calls: [{ index: part.toolCallIndex, function: { arguments: part.argumentsDelta } }],
          },
        }),
      );
      break;
    case 'tool-call-end':
      break;
    case 'finish':
      chunks.push(chunk(context, { index, delta: {}, finish_reason: part.finishReason }));
      break;
  }
  return chunks;
}

/** The final chunk of a stream with include_usage: no choices, the usage. */
export function toUsageChunk(context: ChunkContext, usage: TokenUsage) {
  return {
    ...chunkEnvelope(context),
    choices: [],
    usage: toOpenAIUsage(usage),
  };
}
