import { type PlatformError, providerErrors } from '../../errors/index.ts';
import type { UpstreamFailure } from '../openai-compatible/index.ts';
import {
  azureContentFilterResultsSchema,
  azureInnerErrorSchema,
  readContentFilterCategory,
} from './azure-openai-api.ts';

/**
 * Names the categories that triggered a content filter, e.g. `violence (high), jailbreak`;
 * undefined when the annotations name none.
 */
export function describeTriggeredCategories(results: unknown): string | undefined {
  const parsed = azureContentFilterResultsSchema.safeParse(results);
  if (!parsed.success) return undefined;
  const triggered: string[] = [];
  for (const [category, value] of Object.entries(parsed.data)) {
    const verdict = readContentFilterCategory(value);
    if (verdict?.filtered !== true) continue;
    triggered.push(
      verdict.severity && verdict.severity !== 'safe' ? `${category} (${verdict.severity})` : category,
    );
  }
  return triggered.length > 0 ? triggered.join(', ') : undefined;
}

/**
 * Azure rejects a prompt its content filter catches with a 400 whose `error.code` is
 * `content_filter` (and `innererror.code` is `ResponsibleAIPolicyViolation`): CONTENT_FILTERED,
 * with Azure's message and the categories that triggered. Anything else is left to the shared mapping.
 */
export function mapAzureOpenAIError(failure: UpstreamFailure): PlatformError | undefined {
  const inner = azureInnerErrorSchema.safeParse(failure.error.innererror);
  const innerError = inner.success ? inner.data : undefined;
  if (failure.error.code !== 'content_filter' && innerError?.code !== 'ResponsibleAIPolicyViolation') {
    return undefined;
  }
  const triggered = describeTriggeredCategories(innerError?.content_filter_result);
  return providerErrors.contentFiltered(
    failure.provider,
    triggered === undefined ? failure.message : `${failure.message} (triggered: ${triggered})`,
  );
}

/** The message for a choice that finished with `content_filter`, from its `content_filter_results`. */
export function describeAzureContentFilter(annotations: unknown): string | undefined {
  const triggered = describeTriggeredCategories(annotations);
  return triggered === undefined
    ? undefined
    : `the output was filtered by Azure's content management policy (triggered: ${triggered})`;
}
