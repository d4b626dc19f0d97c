import type { ChatContentPart } from '../../gateway/index.ts';
import type { FinishReason } from '../../model/index.ts';
import { encryptedContentOf, reasoningItemOf } from './reasoning-items.ts';
import { newItemId } from './response-identifiers.ts';
import type {
  FunctionCallItem,
  OutputItem,
  OutputMessageItem,
  OutputTextPart,
  ReasoningItem,
  ResponseObject,
  SummaryTextPart,
} from './response-object.ts';

/** The semantic events of a streamed response, as OpenAI documents them; `sequence_number` is set on sending. */
export type ResponseStreamEvent =
  | {
      type:
        | 'response.created'
        | 'response.queued'
        | 'response.in_progress'
        | 'response.completed'
        | 'response.incomplete'
        | 'response.failed';
      response: ResponseObject;
    }
  | {
      type: 'response.output_item.added' | 'response.output_item.done';
      output_index: number;
      item: OutputItem;
    }
  | {
      type: 'response.content_part.added' | 'response.content_part.done';
      item_id: string;
      output_index: number;
      content_index: number;
      part: OutputTextPart;
    }
  | {
      type: 'response.output_text.delta';
      item_id: string;
      output_index: number;
      content_index: number;
      delta: string;
      logprobs: unknown[];
    }
  | {
      type: 'response.output_text.done';
      item_id: string;
      output_index: number;
      content_index: number;
      text: string;
      logprobs: unknown[];
    }
  | { type: 'response.function_call_arguments.delta'; item_id: string; output_index: number; delta: string }
  | {
      type: 'response.function_call_arguments.done';
      item_id: string;
      output_index: number;
      name: string;
      arguments: string;
    }
  | {
      type: 'response.reasoning_summary_part.added' | 'response.reasoning_summary_part.done';
      item_id: string;
      output_index: number;
      summary_index: number;
      part: SummaryTextPart;
    }
  | {
      type: 'response.reasoning_summary_text.delta';
      item_id: string;
      output_index: number;
      summary_index: number;
      delta: string;
    }
  | {
      type: 'response.reasoning_summary_text.done';
      item_id: string;
      output_index: number;
      summary_index: number;
      text: string;
    }
  | { type: 'error'; code: string | null; message: string; param: string | null };

export type SequencedResponseStreamEvent = ResponseStreamEvent & { sequence_number: number };

const textPart = (text: string): OutputTextPart => ({
  type: 'output_text',
  text,
  annotations: [],
  logprobs: [],
});

/** A copy, so an event already handed out never changes when the item grows. */
function snapshot<Item extends OutputItem>(item: Item): Item {
  if (item.type === 'message') return { ...item, content: item.content.map((part) => ({ ...part })) };
  if (item.type === 'reasoning') return { ...item, summary: item.summary.map((part) => ({ ...part })) };
  return { ...item };
}

/**
 * Turns the gateway's stream parts (of choice 0) into output items and the events that build
 * them: a message is opened by its first text and closed by a tool call or the finish; each tool
 * call is its own `function_call` item; each reasoning block its own `reasoning` item, whose text
 * streams as its summary and which closes at its signature or at whatever follows it.
 */
export class ResponseOutputAssembler {
  readonly output: OutputItem[] = [];
  #message: OutputMessageItem | null = null;
  readonly #calls = new Map<number, FunctionCallItem>();
  #reasoning: ReasoningItem | null = null;

  /** The events one part becomes. */
  accept(part: ChatContentPart): ResponseStreamEvent[] {
    if (part.choiceIndex !== 0) return [];
    switch (part.type) {
      case 'reasoning-delta':
        return this.#reasoningText(part.delta);
      case 'reasoning-signature':
        return this.#closeReasoning('completed', part);
      case 'reasoning-redacted': {
        const events = this.#closeReasoning('completed');
        const item = reasoningItemOf({ type: 'redacted', data: part.data });
        this.output.push(item);
        const outputIndex = this.#indexOf(item);
        events.push(
          { type: 'response.output_item.added', output_index: outputIndex, item: snapshot(item) },
          { type: 'response.output_item.done', output_index: outputIndex, item: snapshot(item) },
        );
        return events;
      }
      case 'text-delta':
        return [...this.#closeReasoning('completed'), ...this.#text(part.delta)];
      case 'tool-call-start': {
        const events = [...this.#closeReasoning('completed'), ...this.#closeMessage('completed')];
        const item: FunctionCallItem = {
          id: newItemId('fc'),
          type: 'function_call',
          status: 'in_progress',
          call_id: part.id,
          name: part.name,
          arguments: '',
        };
        this.#calls.set(part.toolCallIndex, item);
        this.output.push(item);
        events.push({
          type: 'response.output_item.added',
          output_index: this.#indexOf(item),
          item: snapshot(item),
        });
        return events;
      }
      case 'tool-call-delta': {
        const item = this.#calls.get(part.toolCallIndex);
        if (!item || part.argumentsDelta === '') return [];
        item.arguments += part.argumentsDelta;
        return [
          {
            type: 'response.function_call_arguments.delta',
            item_id: item.id,
            output_index: this.#indexOf(item),
            delta: part.argumentsDelta,
          },
        ];
      }
      case 'tool-call-end':
        return this.#closeCall(part.toolCallIndex, 'completed');
      case 'finish':
        return this.finish(part.finishReason);
      default:
        return [];
    }
  }

  /** Closes whatever is still open; `length` and `content_filter` leave items incomplete. */
  finish(reason: FinishReason): ResponseStreamEvent[] {
    const status = reason === 'length' || reason === 'content_filter' ? 'incomplete' : 'completed';
    const events = [...this.#closeReasoning(status), ...this.#closeMessage(status)];
    for (const index of [...this.#calls.keys()]) events.push(...this.#closeCall(index, status));
    return events;
  }

  #indexOf(item: OutputItem): number {
    return this.output.indexOf(item);
  }

  #reasoningText(delta: string): ResponseStreamEvent[] {
    const events: ResponseStreamEvent[] = [];
    let item = this.#reasoning;
    if (!item) {
      item = {
        id: newItemId('rs'),
        type: 'reasoning',
        summary: [],
        encrypted_content: null,
        status: 'in_progress',
      };
      this.#reasoning = item;
      this.output.push(item);
      events.push({
        type: 'response.output_item.added',
        output_index: this.#indexOf(item),
        item: snapshot(item),
      });
    }
    if (delta === '') return events;
    const where = { item_id: item.id, output_index: this.#indexOf(item), summary_index: 0 };
    let part = item.summary[0];
    if (!part) {
      part = { type: 'summary_text', text: '' };
      item.summary.push(part);
      events.push({ type: 'response.reasoning_summary_part.added', ...where, part: { ...part } });
    }
    part.text += delta;
    events.push({ type: 'response.reasoning_summary_text.delta', ...where, delta });
    return events;
  }

  /** Ends the open reasoning item, signed when the provider signed it. */
  #closeReasoning(
    status: 'completed' | 'incomplete',
    signed?: Extract<ChatContentPart, { type: 'reasoning-signature' }>,
  ): ResponseStreamEvent[] {
    // A signature with no text before it still ends a (summary-less) reasoning item.
    const events = !this.#reasoning && signed ? this.#reasoningText('') : [];
    const item = this.#reasoning;
    if (!item) return events;
    this.#reasoning = null;
    const part = item.summary[0];
    const where = { item_id: item.id, output_index: this.#indexOf(item), summary_index: 0 };
    if (part) {
      events.push(
        { type: 'response.reasoning_summary_text.done', ...where, text: part.text },
        { type: 'response.reasoning_summary_part.done', ...where, part: { ...part } },
      );
    }
    item.status = status;
    item.encrypted_content = encryptedContentOf({
      type: 'thinking',
      text: part?.text ?? '',
      ...(signed ? { signature: signed.signature } : {}),
      ...(signed?.provider ? { provider: signed.provider } : {}),
      ...(signed?.itemId ? { itemId: signed.itemId } : {}),
    });
    events.push({
      type: 'response.output_item.done',
      output_index: this.#indexOf(item),
      item: snapshot(item),
    });
    return events;
  }

  #text(delta: string): ResponseStreamEvent[] {
    const events: ResponseStreamEvent[] = [];
    let message = this.#message;
    if (!message) {
      message = {
        id: newItemId('msg'),
        type: 'message',
        status: 'in_progress',
        role: 'assistant',
        content: [],
      };
      this.#message = message;
      this.output.push(message);
      const outputIndex = this.#indexOf(message);
      events.push({ type: 'response.output_item.added', output_index: outputIndex, item: snapshot(message) });
      message.content.push(textPart(''));
      events.push({
        type: 'response.content_part.added',
        item_id: message.id,
        output_index: outputIndex,
        content_index: 0,
        part: textPart(''),
      });
    }
    if (delta === '') return events;
    const part = message.content[0] as OutputTextPart;
    part.text += delta;
    events.push({
      type: 'response.output_text.delta',
      item_id: message.id,
      output_index: this.#indexOf(message),
      content_index: 0,
      delta,
      logprobs: [],
    });
    return events;
  }

  #closeMessage(status: 'completed' | 'incomplete'): ResponseStreamEvent[] {
    const message = this.#message;
    if (!message) return [];
    this.#message = null;
    const outputIndex = this.#indexOf(message);
    const part = message.content[0] as OutputTextPart;
    message.status = status;
    return [
      {
        type: 'response.output_text.done',
        item_id: message.id,
        output_index: outputIndex,
        content_index: 0,
        text: part.text,
        logprobs: [],
      },
      {
        type: 'response.content_part.done',
        item_id: message.id,
        output_index: outputIndex,
        content_index: 0,
        part: { ...part },
      },
      { type: 'response.output_item.done', output_index: outputIndex, item: snapshot(message) },
    ];
  }

  #closeCall(toolCallIndex: number, status: 'completed' | 'incomplete'): ResponseStreamEvent[] {
    const item = this.#calls.get(toolCallIndex);
    if (!item) return [];
    this.#calls.delete(toolCallIndex);
    item.status = status;
    const outputIndex = this.#indexOf(item);
    return [
      {
        type: 'response.function_call_arguments.done',
        item_id: item.id,
        output_index: outputIndex,
        name: item.name,
        arguments: item.arguments,
      },
      { type: 'response.output_item.done', output_index: outputIndex, item: snapshot(item) },
    ];
  }
}
