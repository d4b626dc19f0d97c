// 3. Batch chat: many prompts in one call, run concurrently by the platform, answered in order.
// Each item succeeds or fails on its own (a failed item does not throw).
// Run: KIMI_API_KEY=$(cat .kimi/admin-key) node --import tsx examples/sdk/03-batch-chat.ts
import { Kimi } from '@kimi/sdk';

const kimi = new Kimi();
const model = process.env.KIMI_MODEL ?? 'sim/fast';

const questions = [
  'What is a vector database?',
  'What is retrieval-augmented generation?',
  'What is a token bucket?',
];

const result = await kimi.chat.batch(
  [
    ...questions.map((question) => ({
      model,
      messages: [{ role: 'user' as const, content: question }],
      max_tokens: 60,
    })),
    // one request that fails validation, to show a per-item error
    { model, messages: [{ role: 'user' as const, content: 'Too hot' }], temperature: 9 },
  ],
  { max_concurrency: 2 },
);

for (const item of result.data) {
  if ('response' in item) {
    console.log(`#${item.index} ok   ${item.response.choices[0]?.message.content?.slice(0, 70)}…`);
  } else {
    console.log(`#${item.index} ${item.status}  ${item.error.code}: ${item.error.message}`);
  }
}
console.log(`\n${result.succeeded} succeeded, ${result.failed} failed, cost $${result.cost_usd}`);
