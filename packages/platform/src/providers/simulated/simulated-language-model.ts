import { asCallerFault } from '../../errors/index.ts';
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  LanguageModel,
} from '../../model/index.ts';
import type { Clock, RandomSource, Tokenizer } from '../../support/index.ts';
import { anyFaultDirective, noFaultDirectives, parseFaultDirectives } from './fault-directives.ts';
import { countPromptTokens, generateReply } from './generate-reply.ts';
import {
  decideFault,
  type Fault,
  type FaultEnvironment,
  hangUntilAborted,
  pause,
  streamInterrupted,
  throwIfAborted,
  upstreamUnavailable,
  waitForFirstByte,
} from './inject-faults.ts';
import { lastUserText } from './prompt-text.ts';
import type { SimulatedModelSettings } from './simulated-api.ts';
import { toStreamParts } from './stream-parts.ts';
import { validateChatRequest } from './validate-chat-request.ts';

/** The injected parts every simulated model shares. */
export interface SimulatedEnvironment {
  clock: Clock;
  random: RandomSource;
  tokenizer: Tokenizer;
  /** Whether `[[sim:…]]` directives in prompts are honoured (the operator's choice). */
  faultDirectives: boolean;
}

interface PreparedCall {
  result: ChatResult;
  fault: Fault | undefined;
  faults: FaultEnvironment;
  /** True when the request carried directives: its failures are then the caller's doing. */
  provoked: boolean;
}

/** Marks a failure of a call that carried directives as provoked by the caller. */
function attribute(error: unknown, provoked: boolean): unknown {
  return provoked ? asCallerFault(error) : error;
}

/** A chat model that answers deterministically from the request and fails on demand. */
export function createSimulatedLanguageModel(
  modelId: string,
  settings: SimulatedModelSettings,
  environment: SimulatedEnvironment,
): LanguageModel {
  const publicModelId = `sim/${modelId}`;

  /** Validation, then latency, then the fault decision: the order a real upstream shows them in. */
  async function prepare(request: ChatRequest, options: CallOptions): Promise<PreparedCall> {
    const faults: FaultEnvironment = {
      clock: environment.clock,
      random: environment.random,
      signal: options.signal,
    };
    throwIfAborted(faults, environment.clock.now());
    const promptTokens = countPromptTokens(request, environment.tokenizer);
    validateChatRequest(request, settings, publicModelId, promptTokens);
    const directives = environment.faultDirectives
      ? parseFaultDirectives(lastUserText(request.messages))
      : noFaultDirectives;
    const provoked = anyFaultDirective(directives);
    let fault: Fault | undefined;
    try {
      await waitForFirstByte(settings, directives, faults);
      fault = decideFault(settings, directives, environment.random);
      if (fault?.kind === 'error') throw fault.error;
      if (fault?.kind === 'hang') await hangUntilAborted(faults);
    } catch (error) {
      throw attribute(error, provoked);
    }
    const reply = {
      modelId,
      publicModelId,
      maximumOutputTokens: settings.max_output_tokens,
      tokenizer: environment.tokenizer,
      faultDirectives: environment.faultDirectives,
    };
    return { result: generateReply(request, reply, promptTokens), fault, faults, provoked };
  }

  return {
    provider: 'sim',
    modelId,
    async generate(request, options) {
      const { result, fault, provoked } = await prepare(request, options);
      if (fault?.kind === 'stream-interrupted') {
        // Why: a directive asks for the interruption itself; a random one is an ordinary failure.
        throw attribute(
          fault.afterDeltas === undefined ? upstreamUnavailable(502) : streamInterrupted(),
          provoked,
        );
      }
      return result;
    },
    async *stream(request, options): AsyncGenerator<ChatStreamPart> {
      const { result, fault, faults, provoked } = await prepare(request, options);
      try {
        yield* streamParts(result, fault, faults);
      } catch (error) {
        throw attribute(error, provoked);
      }
    },
  };

  async function* streamParts(
    result: ChatResult,
    fault: Fault | undefined,
    faults: FaultEnvironment,
  ): AsyncGenerator<ChatStreamPart> {
    const parts = toStreamParts(result);
    const deltaCount = parts.filter(isDelta).length;
    const breakAfter =
      fault?.kind === 'stream-interrupted'
        ? (fault.afterDeltas ?? Math.max(1, Math.floor(deltaCount / 2)))
        : undefined;
    let deltasSent = 0;
    for (const part of parts) {
      if (isDelta(part)) {
        if (breakAfter !== undefined && deltasSent >= breakAfter) throw streamInterrupted();
        if (deltasSent > 0) await pause(settings.chunk_delay_ms, faults);
        deltasSent += 1;
      } else if (part.type === 'finish' && breakAfter !== undefined && deltasSent === deltaCount) {
        throw streamInterrupted();
      }
      throwIfAborted(faults, faults.clock.now());
      yield part;
    }
  }
}

function isDelta(part: ChatStreamPart): boolean {
  return part.type === 'text-delta' || part.type === 'tool-call-delta';
}
