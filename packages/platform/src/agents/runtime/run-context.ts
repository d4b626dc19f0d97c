import type { ChatGateway, ChatStreamHandlers } from '../../gateway/index.ts';
import { picoUsdToDecimal, type TokenPrice } from '../../metering/index.ts';
import type { ChatRequest, ToolCall } from '../../model/index.ts';
import type { Clock } from '../../support/index.ts';
import type { Attributes, Tracing } from '../../telemetry/index.ts';
import type { PendingEvent, RunEventWriter } from '../store/swarm-event-log.ts';
import type { SwarmRunStore } from '../store/swarm-run-store.ts';
import type { SwarmStepStore } from '../store/swarm-step-store.ts';
import { abortReasonOf, BudgetExhausted, RunAborted, StepFailed } from '../swarm-errors.ts';
import type { StepKind, SwarmRunRecord, SwarmStepRecord } from '../swarm-types.ts';

/** Prices by the model name an agent asks for (a public id, alias or routing group). */
export interface ModelPricing {
  /** The price to reserve at: the dearest deployment the name may route to; null when free. */
  priceFor(modelName: string): TokenPrice | null;
}

/** Receives a streamed step's parts as they arrive, then its end. */
export interface StreamConsumer {
  onPart: ChatStreamHandlers['onPart'];
  onEnd(): void;
}

/** What a model step stores: enough to replay the agent loop without calling the model again. */
export interface ModelStepOutput {
  content: string | null;
  toolCalls: ToolCall[];
}

export interface RunContextDependencies {
  chat: ChatGateway;
  runs: SwarmRunStore;
  steps: SwarmStepStore;
  pricing: ModelPricing;
  clock: Clock;
  /** Counts every model call actually made (for overhead measurements and tests). */
  onModelCall?: (stepKey: string) => void;
  /** Spans for the run's agents, steps and tool calls; none without it. */
  tracing?: Tracing;
}

/**
 * One execution of one run by one worker: the steps recorded so far, the lease it holds, the
 * abort signal, and the two operations every step goes through — replay-or-execute and the
 * budget reservation around a model call.
 */
export class RunContext {
  readonly #steps: Map<string, SwarmStepRecord>;

  constructor(
    readonly run: SwarmRunRecord,
    readonly owner: string,
    readonly signal: AbortSignal,
    readonly events: RunEventWriter,
    steps: readonly SwarmStepRecord[],
    private readonly dependencies: RunContextDependencies,
  ) {
    this.#steps = new Map(steps.map((step) => [step.key, step]));
  }

  get clock(): Clock {
    return this.dependencies.clock;
  }

  step(key: string): SwarmStepRecord | undefined {
    return this.#steps.get(key);
  }

  emit(event: PendingEvent): Promise<void> {
    const stored = this.events.emit(event);
    // why: callers rarely wait; a failed write is reported where the run drains its events.
    stored.catch(() => {});
    return stored;
  }

  /** Runs `work` in a span (a child of the active one, under the run's) when the run is traced. */
  traced<Value>(name: string, attributes: Attributes, work: () => Promise<Value>): Promise<Value> {
    const tracing = this.dependencies.tracing;
    if (!tracing) return work();
    return tracing.inSpan(name, { attributes: { 'kimi.swarm.run_id': this.run.id, ...attributes } }, work);
  }

  throwIfAborted(): void {
    const reason = abortReasonOf(this.signal);
    if (reason) throw new RunAborted(reason);
  }

  /** Records the start of a step the run is about to execute; throws when the lease is gone. */
  async startStep(
    key: string,
    kind: StepKind,
    agentId: string | null,
    input: unknown,
    status?: 'awaiting_approval',
  ): Promise<number> {
    this.throwIfAborted();
    const started = await this.dependencies.steps.start({
      runId: this.run.id,
      organizationId: this.run.organizationId,
      key,
      kind,
      agentId,
      input,
      now: new Date(this.clock.now()),
      owner: this.owner,
      ...(status ? { status } : {}),
    });
    if (started === null) throw new RunAborted('lease-lost');
    const now = new Date(this.clock.now());
    this.#steps.set(key, {
      key,
      kind,
      agentId,
      status: status ?? 'running',
      attempts: started.attempts,
      input,
      output: this.#steps.get(key)?.output ?? null,
      error: null,
      model: null,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: '0',
      startedAt: now,
      completedAt: null,
    });
    return started.attempts;
  }

  /** Records a step that has its result at once (an agent's outcome); throws when the lease is gone. */
  async recordStep(key: string, kind: StepKind, agentId: string | null, output: unknown): Promise<void> {
    this.throwIfAborted();
    const now = new Date(this.clock.now());
    const recorded = await this.dependencies.steps.record({
      runId: this.run.id,
      organizationId: this.run.organizationId,
      key,
      kind,
      agentId,
      input: null,
      output,
      now,
      owner: this.owner,
    });
    if (!recorded) throw new RunAborted('lease-lost');
  }

  async completeStep(
    key: string,
    output: unknown,
    usage: { model?: string; promptTokens?: number; completionTokens?: number; costUsd?: string } = {},
  ): Promise<void> {
    const now = new Date(this.clock.now());
    await this.dependencies.steps.complete(this.run.id, key, { ...usage, output, now });
    const step = this.#steps.get(key);
    if (step) Object.assign(step, { status: 'completed', output, completedAt: now });
  }

  async failStep(key: string, error: string): Promise<void> {
    await this.dependencies.steps.fail(this.run.id, key, error, new Date(this.clock.now()));
    const step = this.#steps.get(key);
    if (step) Object.assign(step, { status: 'failed', error });
  }

  /**
   * A model call as a step: replayed from its stored result when it has one; otherwise the
   * budget reserves its maximum cost, the gateway runs it, and its result is written before
   * this resolves. With `stream`, parts go to the handlers as they arrive.
   */
  async modelStep(
    key: string,
    kind: 'plan' | 'model-call' | 'synthesis',
    agentId: string | null,
    modelName: string,
    request: Omit<ChatRequest, 'model'>,
    stream?: (attempt: number) => StreamConsumer,
  ): Promise<ModelStepOutput> {
    const recorded = this.#steps.get(key);
    if (recorded?.status === 'completed') return recorded.output as ModelStepOutput;
    if (recorded?.status === 'failed') throw new StepFailed(key, recorded.error ?? 'the step failed');
    this.throwIfAborted();
    // why: without a budget there is nothing to reserve, and the run row stays out of the hot path.
    const budgeted = this.run.budgetUsd !== null;
    const reservation = budgeted ? this.maximumCost(modelName, request) : '0';
    if (budgeted && !(await this.dependencies.runs.reserve(this.run.id, reservation)))
      throw new BudgetExhausted();
    let settled = !budgeted;
    const settle = async (costUsd: string, promptTokens = 0, completionTokens = 0) => {
      if (settled) return;
      settled = true;
      await this.dependencies.runs.settle(this.run.id, reservation, {
        costUsd,
        promptTokens,
        completionTokens,
      });
    };
    try {
      const attempt = await this.startStep(key, kind, agentId, { model: modelName, request });
      this.dependencies.onModelCall?.(key);
      const call = {
        context: this.run.caller,
        requestId: `swarm_${this.run.id}_${key}_${attempt}`,
        startedAt: performance.now(),
        modelName,
        request,
        signal: this.signal,
      };
      const step = {
        'kimi.swarm.step': key,
        'kimi.swarm.attempt': attempt,
        'gen_ai.request.model': modelName,
      };
      let output: ModelStepOutput;
      let outcome: {
        usage: { promptTokens: number; completionTokens: number };
        costUsd: string;
        model: string;
      };
      if (stream) {
        const consumer = stream(attempt);
        let text = '';
        const streamed = await this.traced(`swarm step ${kind}`, step, () =>
          this.dependencies.chat.stream(call, {
            onStart() {},
            async onPart(part) {
              if (part.type === 'text-delta') text += part.delta;
              await consumer.onPart(part);
            },
          }),
        );
        consumer.onEnd();
        output = { content: text, toolCalls: [] };
        outcome = { usage: streamed.usage, costUsd: streamed.costUsd, model: streamed.model.publicId };
      } else {
        const completed = await this.traced(`swarm step ${kind}`, step, () =>
          this.dependencies.chat.complete(call),
        );
        const choice = completed.result.choices[0];
        output = { content: choice?.content ?? null, toolCalls: choice?.toolCalls ?? [] };
        outcome = { usage: completed.usage, costUsd: completed.costUsd, model: completed.model.publicId };
      }
      await settle(outcome.costUsd, outcome.usage.promptTokens, outcome.usage.completionTokens);
      await this.completeStep(key, output, {
        model: outcome.model,
        promptTokens: outcome.usage.promptTokens,
        completionTokens: outcome.usage.completionTokens,
        costUsd: outcome.costUsd,
      });
      return output;
    } catch (error) {
      // why: a broken stream may already have been billed, so its whole reservation counts as spent.
      await settle(stream ? reservation : '0').catch(() => {});
      if (error instanceof RunAborted) throw error;
      this.throwIfAborted();
      const message = error instanceof Error ? error.message : String(error);
      if (this.#steps.get(key)?.status === 'running') await this.failStep(key, message);
      throw new StepFailed(key, message);
    }
  }

  /** The most a call may cost: the prompt (over-estimated) at the input price plus max_tokens at the output price. */
  maximumCost(modelName: string, request: Omit<ChatRequest, 'model'>): string {
    const price = this.dependencies.pricing.priceFor(modelName);
    if (price === null) return '0';
    // why: about four characters make a token; counting three per token over-estimates on purpose.
    const promptCharacters = JSON.stringify({
      messages: request.messages,
      tools: request.tools ?? [],
    }).length;
    const promptTokens = BigInt(Math.ceil(promptCharacters / 3) + 64);
    const outputTokens = BigInt(request.maxTokens ?? 4096);
    // why: a prompt-cache write may bill above the input price; reserve at the dearer of the two.
    const inputPrice = [
      price.inputPicoUsd,
      price.cacheWriteInputPicoUsd,
      price.cacheWriteOneHourInputPicoUsd,
    ].reduce((high, value) => (value > high ? value : high));
    return picoUsdToDecimal(promptTokens * inputPrice + outputTokens * price.outputPicoUsd);
  }
}
