import { z } from 'zod';

/*
 * Azure OpenAI's additions to the OpenAI wire format: content filter annotations, per category,
 * on prompts (`prompt_filter_results`), on choices (`content_filter_results`) and inside a
 * content-filter error (`error.innererror.content_filter_result`). Lenient like every response
 * schema: categories come and go with api-versions.
 */

const contentFilterCategorySchema = z.object({
  filtered: z.boolean().nullish(),
  /** safe, low, medium or high, for the harm categories. */
  severity: z.string().nullish(),
  /** For jailbreak, protected material and the like. */
  detected: z.boolean().nullish(),
});

/** Category name (hate, sexual, violence, self_harm, jailbreak, …) to its verdict. */
export const azureContentFilterResultsSchema = z.record(z.string(), z.unknown());

export type AzureContentFilterCategory = z.infer<typeof contentFilterCategorySchema>;

/** Reads one category verdict, or undefined when the entry is not one (e.g. an `error` entry). */
export function readContentFilterCategory(value: unknown): AzureContentFilterCategory | undefined {
  const parsed = contentFilterCategorySchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** `error.innererror` of a content-filter rejection. */
export const azureInnerErrorSchema = z.object({
  code: z.string().nullish(),
  content_filter_result: azureContentFilterResultsSchema.nullish(),
});
