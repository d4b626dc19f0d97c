// The official openai client against Kimi Platform. Run `npm start` in another terminal first.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: process.env.KIMI_BASE_URL ?? 'http://127.0.0.1:8080/v1',
  apiKey: process.env.KIMI_API_KEY ?? readFileSync('.kimi/admin-key', 'utf8').trim(),
});

const completion = await client.chat.completions.create({
  model: 'sim/fast',
  messages: [{ role: 'user', content: 'Hello from the openai client!' }],
});
console.log(completion.choices[0].message.content);
console.log('usage:', completion.usage);

const stream = await client.chat.completions.create({
  model: 'sim/fast',
  messages: [{ role: 'user', content: 'Now stream a reply.' }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
process.stdout.write('\n');
