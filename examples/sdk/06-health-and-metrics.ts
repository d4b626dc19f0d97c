// 6. Health check and metrics monitoring: liveness and readiness, then a few Prometheus series
// read from /metrics — what a monitoring job or a deploy gate would check.
// Run: KIMI_API_KEY=$(cat .kimi/admin-key) node --import tsx examples/sdk/06-health-and-metrics.ts
import { Kimi } from '@kimi/sdk';

const kimi = new Kimi();

const health = await kimi.health.check();
console.log(`live: ${health.live}, ready: ${health.ready}`);
if (!health.ready) {
  console.log(JSON.stringify(health.details, null, 2));
  process.exit(1);
}

// Make one request so the request counters have something to show.
await kimi.chat.create({
  model: process.env.KIMI_MODEL ?? 'sim/fast',
  messages: [{ role: 'user', content: 'ping' }],
  max_tokens: 5,
});

const text = await kimi.metrics.get();
/** Sums a Prometheus counter over all its label sets. */
function total(name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`).exec(line);
    if (match) sum += Number(match[1]);
  }
  return sum;
}

for (const series of [
  'kimi_http_requests_total',
  'kimi_model_requests_total',
  'kimi_tokens_total',
  'kimi_cost_usd_total',
]) {
  console.log(`${series.padEnd(28)} ${total(series)}`);
}
console.log(
  `\n${text.split('\n').filter((line) => line.startsWith('# HELP kimi_')).length} kimi_* metric families exposed`,
);
