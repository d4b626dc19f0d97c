import type { ChatMessage, UserMessage } from '../../model/index.ts';
import { faultDirectivePattern } from './fault-directives.ts';

/** Words too common to say what a prompt is about. */
const stopWords = new Set([
  'about',
  'after',
  'again',
  'also',
  'because',
  'been',
  'before',
  'being',
  'could',
  'does',
  'each',
  'from',
  'have',
  'here',
  'into',
  'just',
  'like',
  'make',
  'many',
  'more',
  'most',
  'much',
  'only',
  'other',
  'please',
  'should',
  'some',
  'such',
  'than',
  'that',
  'their',
  'them',
  'then',
  'there',
  'these',
  'they',
  'this',
  'those',
  'very',
  'want',
  'were',
  'what',
  'when',
  'where',
  'which',
  'while',
  'will',
  'with',
  'would',
  'your',
  'given',
  'using',
  'returns',
  'return',
]);

/** The last message a user wrote, which is what a reply refers to. */
export function lastUserMessage(messages: readonly ChatMessage[]): UserMessage | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role === 'user') return message;
  }
  return undefined;
}

/** The text of the last user message; images are accepted and ignored. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  const message = lastUserMessage(messages);
  if (message === undefined) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join(' ');
}

/**
 * The last user text with whitespace collapsed; without fault directives when they are honoured
 * (otherwise they are ordinary text).
 */
export function promptText(messages: readonly ChatMessage[], withoutDirectives: boolean): string {
  const text = lastUserText(messages);
  const prompt = withoutDirectives ? text.replace(faultDirectivePattern, ' ') : text;
  return prompt.replace(/\s+/g, ' ').trim();
}

/** The first `maximumWords` words of a text, with an ellipsis when it went on. */
export function excerpt(text: string, maximumWords: number): string {
  const words = text.split(' ').filter((word) => word.length > 0);
  const head = words.slice(0, maximumWords).join(' ');
  return words.length > maximumWords ? `${head}…` : head;
}

/** Lower-cased words of four letters or more that carry meaning, in order of first use. */
export function significantWords(text: string): string[] {
  const spaced = text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const words = spaced.match(/\p{L}{4,}/gu) ?? [];
  return [...new Set(words.filter((word) => !stopWords.has(word)))];
}
