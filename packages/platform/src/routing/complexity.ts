import type { ChatMessage, ChatRequest } from '../model/index.ts';
import type { ComplexityFeatures } from './route-plan.ts';

/** What the score reads from a request; a whole ChatRequest fits. */
export type ScorableRequest = Pick<ChatRequest, 'messages'> & Partial<Pick<ChatRequest, 'tools'>>;

export interface ComplexityScore {
  /** 0 (trivial) … 1 (hard), rounded to 4 decimals. */
  score: number;
  features: ComplexityFeatures;
}

/** The weights of the formula below; they sum to 1.2 on purpose (see scoreComplexity). */
export const complexityWeights = {
  length: 0.3,
  code: 0.25,
  reasoning: 0.4,
  tools: 0.15,
  turns: 0.1,
} as const;

/** Reasoning cues: each counts once per request however often it occurs. */
export const reasoningCuePatterns: ReadonlyArray<{ cue: string; pattern: RegExp }> = [
  { cue: 'prove', pattern: /\b(?:prov(?:e|es|ing)|proof)\b/i },
  { cue: 'step by step', pattern: /\bstep[- ]by[- ]step\b/i },
  { cue: 'analyze', pattern: /\banaly[sz](?:e|es|ing|is)\b/i },
  { cue: 'trade-offs', pattern: /\b(?:trade[- ]?offs?|pros and cons)\b/i },
  { cue: 'why', pattern: /\bwhy\b/i },
  { cue: 'design', pattern: /\b(?:design|architect(?:ure)?)\b/i },
  { cue: 'optimize', pattern: /\boptimi[sz](?:e|es|ing|ation)\b/i },
  { cue: 'compare', pattern: /\bcompar(?:e|es|ing|ison)\b/i },
  { cue: 'evaluate', pattern: /\bevaluat(?:e|es|ing|ion)\b/i },
  { cue: 'derive', pattern: /\bderiv(?:e|es|ing|ation)\b/i },
  { cue: 'justify', pattern: /\bjustif(?:y|ies|ication)\b/i },
  { cue: 'explain', pattern: /\bexplain\b/i },
  { cue: 'edge cases', pattern: /\bedge[- ]cases?\b/i },
  { cue: 'implications', pattern: /\bimplications?\b/i },
  { cue: 'scalability', pattern: /\bscalab(?:le|ility)\b/i },
];

/** Signals of source code outside fenced blocks; two different ones are needed. */
const codeSignals: readonly RegExp[] = [
  /\b(?:function|def|fn|func)\s+\w+\s*\(/,
  /=>|->|::|===|!==|&&|\|\|/,
  /[;{}][ \t]*$/m,
  /\b(?:const|let|var)\s+\w+\s*=/,
  /^[ \t]*(?:import\s+[\w{*]|from\s+[\w.]+\s+import\b|#include\s*[<"]|using\s+[\w.]+;|package\s+[\w.]+;)/m,
  /\b(?:SELECT\s[\s\S]{1,200}?\sFROM|INSERT\s+INTO|CREATE\s+TABLE)\b/,
  /`[^`\n]+\([^`\n]*\)`/,
];

const fencedBlock = /^[ \t]*(?:```|~~~)/m;
const enumeratedPart = /^[ \t]*(?:\d{1,2}|[a-h])[.)][ \t]+\S/gm;
const lengthFloorTokens = 32;
const lengthSaturationTokens = 8192;
const maximumScannedCharacters = 65_536;

/**
 * A deterministic request complexity score in [0, 1] for `auto` routing. Pure.
 *
 * Features (text features read only the user messages: system prompts are the operator's
 * boilerplate, tool results are data and assistant turns are the model's own words; only the most
 * recent 65,536 characters of user text are scanned, which bounds the cost on huge prompts):
 * - `promptTokens` — as given. L = clamp01(log2(promptTokens / 32) / 8): 0 up to 32 tokens,
 *   1 from 8,192 tokens (log-scaled: each doubling adds 1/8).
 * - `hasCode` — a fenced block (``` or ~~~ at a line start), or at least two different code signals
 *   (a function definition, operators such as `=>` `::` `===` `&&`, a line ending in `;` `{` `}`,
 *   a `const|let|var x =` declaration, an import/include line, upper-case SQL, an inline `call()`).
 *   C = 1 when present, else 0.
 * - `reasoningCues` — the number of distinct cues from {@link reasoningCuePatterns} (prove, step by
 *   step, analyze, trade-offs, why, design, optimize, compare, evaluate, derive, justify, explain,
 *   edge cases, implications, scalability), plus multi-part questions:
 *   min(3, max(0, parts − 1)) where parts = max(question marks, enumerated lines like `1.` or `b)`).
 *   R = min(1, reasoningCues / 4).
 * - `toolCount` — tools offered. T = min(1, toolCount / 4).
 * - `turns` — user messages. U = min(1, (turns − 1) / 9).
 *
 * score = clamp01(0.30·L + 0.25·C + 0.40·R + 0.15·T + 0.10·U), rounded to 4 decimals. The weights
 * sum to 1.2 so a request need not max out every feature to reach 1, yet no single feature passes
 * 0.4: a score above 0.8 takes several (e.g. a long multi-part design question with code).
 */
export function scoreComplexity(request: ScorableRequest, promptTokens: number): ComplexityScore {
  const userText = recentUserText(request.messages);
  const features: ComplexityFeatures = {
    promptTokens,
    hasCode: detectCode(userText),
    reasoningCues: countReasoningCues(userText),
    toolCount: request.tools?.length ?? 0,
    turns: request.messages.filter((message) => message.role === 'user').length,
  };
  return { score: scoreFeatures(features), features };
}

/** The formula of {@link scoreComplexity} over already extracted features. */
export function scoreFeatures(features: ComplexityFeatures): number {
  const length = clamp01(
    Math.log2(Math.max(features.promptTokens, 1) / lengthFloorTokens) /
      Math.log2(lengthSaturationTokens / lengthFloorTokens),
  );
  const code = features.hasCode ? 1 : 0;
  const reasoning = Math.min(1, features.reasoningCues / 4);
  const tools = Math.min(1, features.toolCount / 4);
  const turns = clamp01((features.turns - 1) / 9);
  const sum =
    complexityWeights.length * length +
    complexityWeights.code * code +
    complexityWeights.reasoning * reasoning +
    complexityWeights.tools * tools +
    complexityWeights.turns * turns;
  return Math.round(clamp01(sum) * 10_000) / 10_000;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function recentUserText(messages: readonly ChatMessage[]): string {
  const pieces: string[] = [];
  let collected = 0;
  for (let index = messages.length - 1; index >= 0 && collected < maximumScannedCharacters; index--) {
    const message = messages[index]!;
    if (message.role !== 'user') continue;
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    const kept =
      text.length > maximumScannedCharacters - collected
        ? text.slice(-(maximumScannedCharacters - collected))
        : text;
    pieces.unshift(kept);
    collected += kept.length;
  }
  return pieces.join('\n');
}

function detectCode(text: string): boolean {
  if (fencedBlock.test(text)) return true;
  let signals = 0;
  for (const signal of codeSignals) {
    if (signal.test(text)) signals++;
    if (signals >= 2) return true;
  }
  return false;
}

function countReasoningCues(text: string): number {
  const cues = reasoningCuePatterns.filter(({ pattern }) => pattern.test(text)).length;
  const questions = text.split('?').length - 1;
  const enumerated = text.match(enumeratedPart)?.length ?? 0;
  const parts = Math.max(questions, enumerated);
  return cues + Math.min(3, Math.max(0, parts - 1));
}
