import type { ChatChoice, ChatRequest, ChatResult } from '../../model/index.ts';
import type { RandomSource, Tokenizer } from '../../support/index.ts';
import { composeProse } from './compose-prose.ts';
import { canonicalJson, randomBase62, randomFromText, randomInteger } from './deterministic-random.ts';
import { limitReply } from './limit-reply.ts';
import { planToolCalls } from './plan-tool-calls.ts';
import { excerpt, promptText, significantWords } from './prompt-text.ts';
import { structuredReply } from './structured-reply.ts';
import { summarizeToolResults } from './summarize-tool-results.ts';

/** The model a reply is generated for. */
export interface ReplyModel {
  /** The provider's own id, e.g. `fast`. */
  modelId: string;
  /** The public id shown in replies, e.g. `sim/fast`. */
  publicModelId: string;
  maximumOutputTokens: number;
  tokenizer: Tokenizer;
  /** Whether `[[sim:…]]` directives are honoured, and so left out of the text the reply is about. */
  faultDirectives: boolean;
}

/** Prompt tokens as OpenAI counts them: messages with framing, plus the tool definitions. */
export function countPromptTokens(request: ChatRequest, tokenizer: Tokenizer): number {
  const tools = request.tools ?? [];
  return tokenizer.countChatPrompt(request.messages, tools.length > 0 ? JSON.stringify(tools) : undefined);
}

/**
 * The simulated answer to a request. Deterministic: each choice draws from a generator seeded
 * by a hash of the request's content and the choice index. `maxTokens` and `stop` are left out
 * of the hash on purpose, so a limited reply is a prefix of the unlimited one, as with a real
 * model and a fixed seed.
 */
export function generateReply(request: ChatRequest, model: ReplyModel, promptTokens: number): ChatResult {
  const requestKey = canonicalJson({
    model: model.modelId,
    messages: request.messages,
    tools: request.tools,
    toolChoice: request.toolChoice,
    parallelToolCalls: request.parallelToolCalls,
    responseFormat: request.responseFormat,
    temperature: request.temperature,
    seed: request.seed,
    n: request.n,
  });
  const prompt = promptText(request.messages, model.faultDirectives);
  const choices: ChatChoice[] = [];
  let completionTokens = 0;
  for (let index = 0; index < (request.n ?? 1); index += 1) {
    const random = randomFromText(`${requestKey}#${index}`);
    const toolCalls = planToolCalls(request, prompt, random);
    if (toolCalls.length > 0) {
      choices.push({ index, content: null, toolCalls, finishReason: 'tool_calls' });
      for (const call of toolCalls)
        completionTokens += model.tokenizer.countText(`${call.name}${call.arguments}`);
      continue;
    }
    const maximumTokens = Math.min(request.maxTokens ?? Number.POSITIVE_INFINITY, model.maximumOutputTokens);
    const content = replyContent(request, model, prompt, random);
    const limited = limitReply(content, request.stop, maximumTokens, model.tokenizer);
    choices.push({ index, content: limited.text, toolCalls: [], finishReason: limited.finishReason });
    completionTokens += model.tokenizer.countText(limited.text);
  }
  return {
    providerResponseId: `chatcmpl-sim-${randomBase62(randomFromText(requestKey), 24)}`,
    model: model.modelId,
    choices,
    usage: { promptTokens, completionTokens, cachedPromptTokens: 0 },
  };
}

function replyContent(request: ChatRequest, model: ReplyModel, prompt: string, random: RandomSource): string {
  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    return JSON.stringify(structuredReply(format.schema, request.messages, { random, contextText: prompt }));
  }
  const text = replyText(request, model, prompt, random);
  if (format?.type === 'json_object') return JSON.stringify({ answer: text, model: model.publicModelId });
  return text;
}

function replyText(request: ChatRequest, model: ReplyModel, prompt: string, random: RandomSource): string {
  const countTokens = (text: string) => model.tokenizer.countText(text);
  const topicWords = significantWords(prompt).slice(0, 8);
  if (request.messages.at(-1)?.role === 'tool') {
    const lead = summarizeToolResults(request.messages, model.publicModelId);
    const leadTokens = countTokens(lead);
    const targetTokens = leadTokens + randomInteger(random, 10, 30);
    return composeProse(lead, {
      random,
      topicWords,
      countTokens,
      targetTokens,
      maximumTokens: leadTokens + 40,
    });
  }
  const about = prompt.length > 0 ? ` about “${excerpt(prompt, 8)}”` : '';
  const lead = `Simulated reply (${model.publicModelId})${about}:`;
  const targetTokens = randomInteger(random, 20, 120);
  return composeProse(lead, { random, topicWords, countTokens, targetTokens, maximumTokens: 120 });
}
