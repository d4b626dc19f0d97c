import { z } from 'zod';

/*
 * OpenAI's Responses API wire format (POST /v1/responses), as OpenAI documents it at
 * https://platform.openai.com/docs/api-reference/responses and the official `openai` client types
 * it; Azure OpenAI serves the same at `{endpoint}/openai/v1/responses`. We forward requests built
 * by the platform's own Responses API, so only answers are described here, leniently: OpenAI adds
 * item and event types, and unknown ones must not break us.
 */

const outputTextSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  refusal: z.string().nullish(),
});

const summaryPartSchema = z.looseObject({ type: z.string().nullish(), text: z.string().nullish() });

export const openAIResponsesOutputItemSchema = z.looseObject({
  type: z.string(),
  id: z.string().nullish(),
  status: z.string().nullish(),
  /** `message` */
  content: z.array(outputTextSchema).nullish(),
  /** `function_call` */
  call_id: z.string().nullish(),
  name: z.string().nullish(),
  arguments: z.string().nullish(),
  /** `reasoning` */
  summary: z.array(summaryPartSchema).nullish(),
  encrypted_content: z.string().nullish(),
});

export const openAIResponsesUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  output_tokens: z.number().nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});

export const openAIResponsesErrorSchema = z.looseObject({
  code: z.string().nullish(),
  message: z.string().nullish(),
});

/** The response object: the body of a 200, and inside `response.completed` and its siblings. */
export const openAIResponsesObjectSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  status: z.string().nullish(),
  output: z.array(openAIResponsesOutputItemSchema).nullish(),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  error: openAIResponsesErrorSchema.nullish(),
  usage: openAIResponsesUsageSchema.nullish(),
});

/** One streamed event: its `type` says which of the other fields it has. */
export const openAIResponsesEventSchema = z.looseObject({
  type: z.string(),
  response: openAIResponsesObjectSchema.nullish(),
  item: openAIResponsesOutputItemSchema.nullish(),
  item_id: z.string().nullish(),
  output_index: z.number().nullish(),
  summary_index: z.number().nullish(),
  delta: z.string().nullish(),
  code: z.string().nullish(),
  message: z.string().nullish(),
  param: z.string().nullish(),
});

export type OpenAIResponsesObject = z.infer<typeof openAIResponsesObjectSchema>;
export type OpenAIResponsesOutputItem = z.infer<typeof openAIResponsesOutputItemSchema>;
export type OpenAIResponsesEvent = z.infer<typeof openAIResponsesEventSchema>;
export type OpenAIResponsesUsage = z.infer<typeof openAIResponsesUsageSchema>;
