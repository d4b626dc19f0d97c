import type { ChatContentPart } from '../../gateway/index.ts';
import type { FinishReason, TokenUsage } from '../../model/index.ts';
import {
  type AnthropicContentBlock,
  type AnthropicMessageObject,
  type AnthropicStopReason,
  type AnthropicUsage,
  toAnthropicUsage,
  toStopReason,
} from '../../platform/wire/index.ts';

type BlockDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string };

/** The events of an Anthropic message stream; each is sent as `event: <type>` + `data: <json>`. */
export type MessageStreamEvent =
  | { type: 'message_start'; message: AnthropicMessageObject }
  | { type: 'content_block_start'; index: number; content_block: AnthropicContentBlock }
  | { type: 'content_block_delta'; index: number; delta: BlockDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: AnthropicStopReason; stop_sequence: null };
      usage: AnthropicUsage;
    }
  | { type: 'message_stop' };

interface PendingBlock {
  start: AnthropicContentBlock;
  /** Deltas that arrived while an earlier block was still open. */
  buffered: BlockDelta[];
  ended: boolean;
}

/**
 * Turns internal stream parts into Anthropic stream events. Anthropic streams one content block
 * at a time, in index order, while the internal interface lets parallel tool calls interleave;
 * so blocks queue in the order they began, only the first open one streams live, and the deltas
 * of the others wait until it stops.
 */
export class MessageStreamEncoder {
  readonly #id: string;
  readonly #queue: PendingBlock[] = [];
  readonly #toolBlocks = new Map<number, PendingBlock>();
  #textBlock: PendingBlock | undefined;
  #thinkingBlock: PendingBlock | undefined;
  #nextIndex = 0;
  #finishReason: FinishReason = 'stop';
  #hasToolCalls = false;
  #events: MessageStreamEvent[] = [];

  constructor(id: string) {
    this.#id = id;
  }

  /**
   * The opening event. Input tokens are not known before the provider's usage arrives, so they
   * start at zero and their totals come in `message_delta`, which the SDKs copy onto the message.
   */
  start(model: string): MessageStreamEvent {
    return {
      type: 'message_start',
      message: {
        id: this.#id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        },
      },
    };
  }

  /** The events one internal part becomes (often none, while a block waits its turn). */
  part(part: ChatContentPart): MessageStreamEvent[] {
    if (part.choiceIndex !== 0) return [];
    switch (part.type) {
      case 'reasoning-delta':
        if (part.delta === '') break;
        this.#endText();
        this.#thinkingBlock ??= this.#begin({ type: 'thinking', thinking: '', signature: '' });
        this.#append(this.#thinkingBlock, { type: 'thinking_delta', thinking: part.delta });
        break;
      case 'reasoning-signature':
        // Another provider's signature (OpenAI's encrypted reasoning) means nothing to Anthropic.
        if (part.provider !== undefined && part.provider !== 'anthropic') break;
        this.#endText();
        this.#thinkingBlock ??= this.#begin({ type: 'thinking', thinking: '', signature: '' });
        // The signature is passed on as the provider sent it: Anthropic verifies it when it comes back.
        this.#append(this.#thinkingBlock, { type: 'signature_delta', signature: part.signature });
        this.#endThinking();
        break;
      case 'reasoning-redacted':
        this.#endText();
        this.#endThinking();
        this.#end(this.#begin({ type: 'redacted_thinking', data: part.data }));
        break;
      case 'text-delta':
        if (part.delta === '') break;
        this.#endThinking();
        if (!this.#textBlock) {
          this.#textBlock = this.#begin({ type: 'text', text: '' });
        }
        this.#append(this.#textBlock, { type: 'text_delta', text: part.delta });
        break;
      case 'tool-call-start':
        this.#hasToolCalls = true;
        this.#endThinking();
        this.#endText();
        this.#toolBlocks.set(
          part.toolCallIndex,
          this.#begin({ type: 'tool_use', id: part.id, name: part.name, input: {} }),
        );
        break;
      case 'tool-call-delta': {
        const block = this.#toolBlocks.get(part.toolCallIndex);
        if (block && part.argumentsDelta !== '') {
          this.#append(block, { type: 'input_json_delta', partial_json: part.argumentsDelta });
        }
        break;
      }
      case 'tool-call-end': {
        const block = this.#toolBlocks.get(part.toolCallIndex);
        if (block) this.#end(block);
        break;
      }
      case 'finish':
        this.#finishReason = part.finishReason;
        this.#endAll();
        break;
    }
    return this.#take();
  }

  /** The closing events, sent once the usage record is committed. */
  finish(usage: TokenUsage): MessageStreamEvent[] {
    this.#endAll();
    this.#events.push(
      {
        type: 'message_delta',
        delta: { stop_reason: toStopReason(this.#finishReason, this.#hasToolCalls), stop_sequence: null },
        usage: toAnthropicUsage(usage),
      },
      { type: 'message_stop' },
    );
    return this.#take();
  }

  #begin(start: AnthropicContentBlock): PendingBlock {
    const block: PendingBlock = { start, buffered: [], ended: false };
    this.#queue.push(block);
    if (this.#queue.length === 1) this.#open(block);
    return block;
  }

  #open(block: PendingBlock): void {
    const index = this.#nextIndex;
    this.#events.push({ type: 'content_block_start', index, content_block: block.start });
    for (const delta of block.buffered) this.#events.push({ type: 'content_block_delta', index, delta });
    block.buffered = [];
  }

  #append(block: PendingBlock, delta: BlockDelta): void {
    if (this.#queue[0] === block) {
      this.#events.push({ type: 'content_block_delta', index: this.#nextIndex, delta });
    } else {
      block.buffered.push(delta);
    }
  }

  #end(block: PendingBlock): void {
    block.ended = true;
    while (this.#queue[0]?.ended) {
      this.#queue.shift();
      this.#events.push({ type: 'content_block_stop', index: this.#nextIndex });
      this.#nextIndex += 1;
      const next = this.#queue[0];
      if (next) this.#open(next);
    }
  }

  #endText(): void {
    if (this.#textBlock) this.#end(this.#textBlock);
    this.#textBlock = undefined;
  }

  #endThinking(): void {
    if (this.#thinkingBlock) this.#end(this.#thinkingBlock);
    this.#thinkingBlock = undefined;
  }

  #endAll(): void {
    this.#endThinking();
    this.#endText();
    for (const block of [...this.#queue]) this.#end(block);
  }

  #take(): MessageStreamEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }
}
