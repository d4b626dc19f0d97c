import { errors, providerErrors } from '../../errors/index.ts';
import type { ChatRequest } from '../../model/index.ts';
import { validateToolChoice } from './plan-tool-calls.ts';
import type { SimulatedModelSettings } from './simulated-api.ts';

/** OpenAI's own upper bound for `n`. */
const maximumChoices = 128;

/**
 * Rejects what a real provider would reject with a 4xx, naming the field: these are the
 * caller's mistakes, so they come before any simulated latency or fault.
 */
export function validateChatRequest(
  request: ChatRequest,
  settings: SimulatedModelSettings,
  publicModelId: string,
  promptTokens: number,
): void {
  if (request.messages.length === 0) {
    throw errors.invalidRequest('messages', "'messages' must contain at least one message.");
  }
  const n = request.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > maximumChoices) {
    throw errors.invalidRequest('n', `'n' must be a whole number from 1 to ${maximumChoices}; got ${n}.`);
  }
  const maxTokens = request.maxTokens;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw errors.invalidRequest(
      'max_tokens',
      `'max_tokens' must be a whole number of at least 1; got ${maxTokens}.`,
    );
  }
  validateToolChoice(request);
  if (promptTokens > settings.context_window) {
    throw providerErrors.contextLengthExceeded(publicModelId, promptTokens, settings.context_window);
  }
}
