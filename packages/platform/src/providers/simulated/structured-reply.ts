import type { ChatMessage, JsonSchema } from '../../model/index.ts';
import type { RandomSource } from '../../support/index.ts';
import { faultDirectivePattern } from './fault-directives.ts';
import { sampleJsonSchema } from './json-schema-sample.ts';
import { flattenSchema } from './merge-json-schemas.ts';
import { lastUserText } from './prompt-text.ts';
import { schemaAccepts } from './schema-validation.ts';
import { taskPlanReply } from './task-plan-reply.ts';

/**
 * The answer to a `json_schema` response format: the schema's first example when it is valid
 * (its author vouches for it); for a plan schema without one, a decomposition of the task; else
 * a value generated from the schema. Always valid against the schema where it can be checked.
 */
export function structuredReply(
  schema: JsonSchema,
  messages: readonly ChatMessage[],
  options: { random: RandomSource; contextText: string },
): unknown {
  if (!offersValidExample(schema)) {
    const plan = taskPlanReply(schema, taskText(messages));
    if (plan !== undefined) return plan;
  }
  return sampleJsonSchema(schema, options);
}

function offersValidExample(schema: JsonSchema): boolean {
  const examples = flattenSchema(schema, schema).examples;
  return Array.isArray(examples) && examples.length > 0 && schemaAccepts(schema, examples[0]) !== false;
}

/**
 * The task a planning request is about: the paragraph after a `Task:` label when the prompt
 * has one (as planners write it), else the whole last user message.
 */
export function taskText(messages: readonly ChatMessage[]): string {
  const text = lastUserText(messages).replace(faultDirectivePattern, ' ');
  const labelled = /(?:^|\n)\s*task:\s*(.+?)(?:\n\s*\n|$)/is.exec(text);
  return (labelled?.[1] ?? text).replace(/\s+/g, ' ').trim();
}
