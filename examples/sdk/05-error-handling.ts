// 5. Error handling and retries: every failure is a typed KimiError with a stable code, a category,
// whether it is retryable and a recovery hint from the platform. The client retries retryable
// failures itself (full-jitter backoff, honouring Retry-After); here we also see what it gives up with.
// Run: KIMI_API_KEY=$(cat .kimi/admin-key) node --import tsx examples/sdk/05-error-handling.ts
import {
  AuthenticationError,
  ConnectionError,
  InvalidAPIKeyError,
  Kimi,
  KimiError,
  NotFoundError,
  RateLimitError,
  RetryExhaustedError,
  ValidationError,
} from '@kimi/sdk';

const kimi = new Kimi();
const model = process.env.KIMI_MODEL ?? 'sim/fast';

function explain(label: string, error: unknown): void {
  if (!(error instanceof KimiError)) throw error;
  console.log(`${label}: ${error.name} ${error.code} (${error.category}, retryable: ${error.retryable})`);
  console.log(`  message: ${error.message}`);
  if (error.param) console.log(`  param:   ${error.param}`);
  if (error.recoveryHint) console.log(`  hint:    ${error.recoveryHint}`);
  if (error.requestId) console.log(`  request: ${error.requestId}`);
}

// A wrong key: an authentication error; retrying cannot help.
try {
  await new Kimi({ apiKey: `sk-kimi-wrong-${'x'.repeat(32)}` }).models.list();
} catch (error) {
  explain('wrong key', error);
  console.log(
    `  is InvalidAPIKeyError: ${error instanceof InvalidAPIKeyError}, is AuthenticationError: ${error instanceof AuthenticationError}`,
  );
}

// A field out of range: a validation error naming the field.
try {
  await kimi.chat.create({ model, messages: [{ role: 'user', content: 'hi' }], temperature: 7 });
} catch (error) {
  explain('bad temperature', error);
  console.log(`  is ValidationError: ${error instanceof ValidationError}`);
}

// Something that does not exist.
try {
  await kimi.swarms.get('swarm_does_not_exist');
} catch (error) {
  explain('missing run', error);
  console.log(`  is NotFoundError: ${error instanceof NotFoundError}`);
}

// Nothing listening: a retryable connection error. The client tries 1 + maxRetries times (we
// count the attempts through an injected fetch), then throws RetryExhaustedError, whose code and
// category are the last failure's and whose `lastError` is that ConnectionError.
let attempts = 0;
const unreachable = new Kimi({
  baseUrl: 'http://127.0.0.1:9',
  maxRetries: 2,
  retry: { baseDelayMs: 10, maxDelayMs: 50 },
  fetch: (input, init) => {
    attempts += 1;
    return fetch(input, init);
  },
});
try {
  await unreachable.models.list();
} catch (error) {
  explain('unreachable', error);
  if (!(error instanceof RetryExhaustedError)) throw error;
  console.log(
    `  gave up after ${error.attempts} attempts (fetch called ${attempts} times); last error is ConnectionError: ${error.lastError instanceof ConnectionError}`,
  );
}

// The pattern for your own retry loop around a call: retry only what is retryable, and wait at
// least what the server asked for (RateLimitError carries Retry-After).
async function withRetries<Result>(call: () => Promise<Result>, tries = 3): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof KimiError) || !error.retryable || attempt >= tries) throw error;
      const wait = error instanceof RateLimitError ? (error.retryAfterMs ?? 1000) : 200 * 2 ** attempt;
      console.log(`  retrying after ${wait} ms (${error.code})`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
const answer = await withRetries(() =>
  kimi.chat.create({ model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 20 }),
);
console.log(`\nwith retries: ${answer.choices[0]?.message.content?.slice(0, 60)}…`);
