import { describe, expect, it } from 'vitest';
import type { UpstreamFailure } from '../openai-compatible/index.ts';
import {
  describeAzureContentFilter,
  describeTriggeredCategories,
  mapAzureOpenAIError,
} from './azure-openai-error.ts';

function failure(error: UpstreamFailure['error']): UpstreamFailure {
  return {
    provider: 'azure',
    model: 'gpt-4o-prod',
    status: 400,
    headers: new Headers(),
    error,
    message: error.message ?? 'HTTP 400',
  };
}

describe('describeTriggeredCategories', () => {
  it('names the filtered categories with their severity, or the detection', () => {
    expect(
      describeTriggeredCategories({
        hate: { filtered: false, severity: 'safe' },
        violence: { filtered: true, severity: 'high' },
        jailbreak: { filtered: true, detected: true },
        protected_material_text: { filtered: false, detected: true },
      }),
    ).toBe('violence (high), jailbreak');
    expect(describeTriggeredCategories({ hate: { filtered: false, severity: 'safe' } })).toBeUndefined();
    expect(describeTriggeredCategories(undefined)).toBeUndefined();
    expect(
      describeTriggeredCategories({ error: { code: 'x', message: 'filter unavailable' } }),
    ).toBeUndefined();
  });

  it('words the message for a choice that finished with content_filter', () => {
    expect(describeAzureContentFilter({ sexual: { filtered: true, severity: 'medium' } })).toBe(
      "the output was filtered by Azure's content management policy (triggered: sexual (medium))",
    );
  });
});

describe('mapAzureOpenAIError', () => {
  it("maps a content_filter rejection to CONTENT_FILTERED, keeping Azure's message", () => {
    const error = mapAzureOpenAIError(
      failure({
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        code: 'content_filter',
        param: 'prompt',
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: { self_harm: { filtered: true, severity: 'medium' } },
        },
      }),
    );
    expect(error).toMatchObject({ code: 'CONTENT_FILTERED', status: 400, retryable: false });
    expect(error?.message).toBe(
      "azure refused the content: The response was filtered due to the prompt triggering Azure OpenAI's content management policy. (triggered: self_harm (medium))",
    );
  });

  it('recognises the inner ResponsibleAIPolicyViolation code alone, and leaves other errors alone', () => {
    expect(
      mapAzureOpenAIError(
        failure({
          message: 'blocked',
          code: 'invalid_request_error',
          innererror: { code: 'ResponsibleAIPolicyViolation' },
        }),
      )?.code,
    ).toBe('CONTENT_FILTERED');
    expect(
      mapAzureOpenAIError(failure({ message: 'too long', code: 'context_length_exceeded' })),
    ).toBeUndefined();
  });
});
