// 1. Basic chat: one request, the answer, its usage and cost.
// Run: KIMI_API_KEY=$(cat .kimi/admin-key) node --import tsx examples/sdk/01-chat.ts
import { Kimi } from '@kimi/sdk';

const kimi = new Kimi(); // reads KIMI_API_KEY and KIMI_BASE_URL (default http://localhost:8080)
const model = process.env.KIMI_MODEL ?? 'sim/fast';

const completion = await kimi.chat.create({
  model,
  messages: [
    { role: 'system', content: 'You answer in two sentences.' },
    { role: 'user', content: 'What does a circuit breaker do in a distributed system?' },
  ],
  max_tokens: 200,
});

console.log(completion.choices[0]?.message.content);
console.log(
  `\nmodel ${completion.model}: ${completion.usage.prompt_tokens} prompt + ${completion.usage.completion_tokens} completion tokens`,
);
