// 2. Streaming chat: print tokens as they arrive, then the usage the stream reported at its end.
// Run: KIMI_API_KEY=$(cat .kimi/admin-key) node --import tsx examples/sdk/02-streaming-chat.ts
import { Kimi } from '@kimi/sdk';

const kimi = new Kimi();
const model = process.env.KIMI_MODEL ?? 'sim/fast';

const stream = kimi.chat.stream({
  model,
  messages: [{ role: 'user', content: 'Explain exponential backoff with jitter.' }],
});

let chunks = 0;
for await (const chunk of stream) {
  const text = chunk.choices[0]?.delta.content ?? '';
  if (text) {
    chunks += 1;
    process.stdout.write(text);
  }
}
process.stdout.write('\n');
console.log(`\n${chunks} chunks; usage: ${JSON.stringify(stream.finalUsage)}`);
