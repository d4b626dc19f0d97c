// 7. Knowledge base RAG: create a knowledge base, upload two documents with progress, search it,
// then ask a question grounded in it — the answer comes with citations (`kimi.citations`).
// Run: KIMI_API_KEY=$(cat .kimi/admin-key) node --import tsx examples/sdk/07-knowledge-base-rag.ts
import { Kimi } from '@kimi/sdk';

const kimi = new Kimi();

const knowledgeBase = await kimi.knowledgeBases.create({ name: `handbook ${new Date().toISOString()}` });
console.log(`knowledge base ${knowledgeBase.id}`);

const documents = [
  {
    name: 'refunds.md',
    data: '# Refunds\n\nCustomers can ask for a refund within 30 days of delivery. Refunds are paid to the original card within five working days.\n',
    contentType: 'text/markdown',
  },
  {
    name: 'shipping.md',
    data: '# Shipping\n\nOrders ship within two working days. Delivery takes three to five days in the country and up to ten days abroad.\n',
    contentType: 'text/markdown',
  },
];
for (const file of documents) {
  const document = await kimi.knowledgeBases.upload(knowledgeBase.id, file, {
    wait: true,
    onProgress: ({ phase, loadedBytes, totalBytes }) =>
      console.log(`  ${file.name}: ${phase} ${loadedBytes}/${totalBytes} bytes`),
  });
  console.log(`${file.name}: ${document.status}`);
}

const found = await kimi.knowledgeBases.search(knowledgeBase.id, {
  query: 'how long do I have to ask for a refund?',
  top_k: 2,
});
for (const hit of found.data)
  console.log(`hit ${Number(hit.score).toFixed(3)} ${hit.title}: ${String(hit.text).slice(0, 60)}…`);

const answer = await kimi.chat.create({
  model: process.env.KIMI_MODEL ?? 'sim/fast',
  messages: [{ role: 'user', content: 'How long do I have to ask for a refund?' }],
  kimi: { knowledge_bases: [knowledgeBase.id] },
});
console.log(`\n${answer.choices[0]?.message.content}`);
const citations =
  (answer.kimi as { citations?: Array<{ title?: string; start?: number; end?: number }> } | undefined)
    ?.citations ?? [];
for (const citation of citations)
  console.log(`  cited: ${citation.title} [${citation.start}–${citation.end}]`);
console.log(`${citations.length} citations`);

await kimi.knowledgeBases.delete(knowledgeBase.id);
