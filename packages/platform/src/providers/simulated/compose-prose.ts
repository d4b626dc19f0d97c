import type { RandomSource } from '../../support/index.ts';
import { pickOne, randomInteger } from './deterministic-random.ts';

const openers = [
  '',
  '',
  'In practice, ',
  'In short, ',
  'For example, ',
  'Overall, ',
  'As a result, ',
  'At the same time, ',
  'Put simply, ',
  'Most of the time, ',
];
const subjects = [
  'the approach',
  'a careful plan',
  'this design',
  'the team',
  'each step',
  'the simplest option',
  'a good first draft',
  'the main idea',
  'the underlying system',
  'a clear process',
  'a small experiment',
  'the final answer',
];
const verbs = [
  'improves',
  'depends on',
  'balances',
  'clarifies',
  'shapes',
  'reduces',
  'supports',
  'highlights',
  'simplifies',
  'strengthens',
  'explains',
  'connects',
];
const objects = [
  'overall reliability',
  'the cost of mistakes',
  'long-term maintenance',
  'the expected outcome',
  'the most important trade-offs',
  'everyday decisions',
  'the quality of the result',
  'how people work together',
  'the available evidence',
  'future improvements',
  'the open questions',
  'what matters most',
];
const connectors = ['because', 'while', 'so that', 'although', 'whenever', 'since'];

/** What the prose is about and how long it should be. */
export interface ProseOptions {
  random: RandomSource;
  /** Words from the prompt, woven in so the reply visibly refers to it. */
  topicWords: readonly string[];
  /** Stop adding sentences once the whole text has at least this many tokens. */
  targetTokens: number;
  /** A sentence that would take the text past this many tokens is left out. */
  maximumTokens: number;
  countTokens: (text: string) => number;
}

/** Appends sentences of plausible English to `lead` until the target length is reached. */
export function composeProse(lead: string, options: ProseOptions): string {
  let text = lead;
  // Why the loop runs at least once: a lead longer than the target still gets one sentence.
  for (let sentences = 0; sentences < 40; sentences += 1) {
    const longer = `${text}${text.length > 0 ? ' ' : ''}${sentence(options)}`;
    const tokens = options.countTokens(longer);
    if (sentences > 0 && tokens > options.maximumTokens) break;
    text = longer;
    if (tokens >= options.targetTokens) break;
  }
  return text;
}

function sentence(options: ProseOptions): string {
  const { random } = options;
  const topic =
    options.topicWords.length > 0 && random() < 0.6 ? pickOne(random, options.topicWords) : undefined;
  const clause = () => `${pickOne(random, subjects)} ${pickOne(random, verbs)} ${pickOne(random, objects)}`;
  const form = randomInteger(random, 0, 3);
  let text: string;
  if (topic !== undefined && form === 0) text = `when it comes to ${topic}, ${clause()}`;
  else if (topic !== undefined && form === 1)
    text = `the part about ${topic} ${pickOne(random, verbs)} ${pickOne(random, objects)}`;
  else if (form === 2)
    text = `${pickOne(random, openers)}${clause()} ${pickOne(random, connectors)} ${clause()}`;
  else text = `${pickOne(random, openers)}${clause()}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
