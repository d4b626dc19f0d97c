import { isPlatformError, type PlatformError } from '../../errors/index.ts';
import type { ChatGateway, ChatOutcome, RouteInfo, ServedAs } from '../../gateway/index.ts';
import type { ResolvedModel } from '../../routing/index.ts';
import type { Clock } from '../../support/index.ts';
import {
  finishStatus,
  type ResponseObject,
  type ResponseState,
  toResponseObject,
  toResponseUsage,
} from './response-object.ts';
import type { PreparedResponse } from './response-preparation.ts';
import {
  ResponseOutputAssembler,
  type ResponseStreamEvent,
  type SequencedResponseStreamEvent,
} from './response-stream-events.ts';

export interface ResponseStreamHandlers {
  /** Called once, before the first event: every failure before it may still fall back. */
  onStart(model: ResolvedModel, route: RouteInfo, servedAs: ServedAs): void;
  /** Each event in order, numbered; a returned promise is awaited (backpressure). */
  onEvent(event: SequencedResponseStreamEvent): void | Promise<void>;
}

export interface StreamedResponse {
  response: ResponseObject;
  /** Null when the stream failed after it started (the events said so: `error`, `response.failed`). */
  outcome: ChatOutcome | null;
  error: PlatformError | null;
}

/** One streamed generation of a response, interactive or background. */
export interface ResponseStreamRun {
  prepared: PreparedResponse;
  /** The response before its first event (`in_progress`, no output). */
  state: ResponseState;
  /** The number of the first event sent (a background response's creation events come first). */
  firstSequenceNumber: number;
  /** Whether to send `response.created` before `response.in_progress` (a background one sent it when queued). */
  announceCreated: boolean;
  handlers: ResponseStreamHandlers;
  /** Stores the finished response; awaited before its final event is sent. */
  save(state: ResponseState): Promise<void>;
  /** When true, failures after the start are not turned into `response.failed` (the caller went away or cancelled). */
  stopped(): boolean;
}

/**
 * Streams a response's semantic events; rejects only before the first event (and when stopped).
 * The response is saved before `response.completed` (or `.incomplete`, `.failed`) is sent.
 */
export async function runResponseStream(
  chat: ChatGateway,
  clock: Clock,
  run: ResponseStreamRun,
): Promise<StreamedResponse> {
  const { state, handlers } = run;
  const assembler = new ResponseOutputAssembler();
  state.output = assembler.output;
  let sequenceNumber = run.firstSequenceNumber;
  let started = false;
  let finishReason: 'stop' | 'length' | 'tool_calls' | 'content_filter' = 'stop';
  const send = (events: ResponseStreamEvent[]): Promise<void> | undefined => {
    let pending: Promise<void> | undefined;
    for (const event of events) {
      const sent = handlers.onEvent({ ...event, sequence_number: sequenceNumber++ });
      if (sent) pending = sent;
    }
    return pending;
  };
  try {
    const outcome = await chat.stream(run.prepared.gatewayCall, {
      onStart(model, route, servedAs) {
        started = true;
        state.model = model.publicId;
        handlers.onStart(model, route, servedAs);
        const response = toResponseObject(state);
        send([
          ...(run.announceCreated ? [{ type: 'response.created' as const, response }] : []),
          { type: 'response.in_progress', response },
        ]);
      },
      onPart(part) {
        if (part.type === 'finish' && part.choiceIndex === 0) finishReason = part.finishReason;
        return send(assembler.accept(part));
      },
    });
    send(assembler.finish(finishReason));
    const finished = finishStatus(finishReason);
    state.status = finished.status;
    state.incompleteDetails = finished.incompleteDetails;
    state.usage = toResponseUsage(outcome.usage);
    state.completedAt = clock.now();
    await run.save(state);
    const response = toResponseObject(state);
    await send([
      { type: finished.status === 'completed' ? 'response.completed' : 'response.incomplete', response },
    ]);
    return { response, outcome, error: null };
  } catch (caught) {
    if (!started || run.stopped() || !isPlatformError(caught)) throw caught;
    state.status = 'failed';
    state.error = {
      code: caught.status === 429 ? 'rate_limit_exceeded' : 'server_error',
      message: caught.message,
    };
    state.output = assembler.output;
    await run.save(state);
    const response = toResponseObject(state);
    await send([
      { type: 'error', code: caught.code, message: caught.message, param: caught.param },
      { type: 'response.failed', response },
    ]);
    return { response, outcome: null, error: caught };
  }
}
