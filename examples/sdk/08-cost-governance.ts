// 8. Cost and budget governance: an admin creates a key for a team's app with a monthly budget
// (admin API), the app spends through it, the admin reads the budget and the usage per key, and
// once the budget is lowered below what a request may cost, the app's calls are refused with a
// typed BudgetExceededError. Needs a key with admin:keys and admin:budgets (the bootstrap admin key).
// Run: KIMI_API_KEY=$(cat .kimi/admin-key) node --import tsx examples/sdk/08-cost-governance.ts
import { BudgetExceededError, Kimi } from '@kimi/sdk';

const admin = new Kimi();
const model = process.env.KIMI_MODEL ?? 'sim/fast';
const organizationId = (await admin.me()).organization_id;

const key = await admin.admin.keys.create(organizationId, { name: 'reporting app', role: 'developer' });
console.log(`key ${key.id} (${key.display_prefix}) created; its secret is shown only once`);
const budget = (await admin.admin.budgets.create(organizationId, {
  scope: 'api_key',
  subject: key.id,
  limit_usd: '5',
  period: 'month',
  alert_thresholds: [50, 80, 100],
})) as { id: string; limit_usd: string };
console.log(`budget ${budget.id}: $${budget.limit_usd} a month for that key`);

const app = new Kimi({ apiKey: key.secret });
for (const question of ['Summarise our refund policy', 'Draft a status update', 'List three risks']) {
  await app.chat.create({ model, messages: [{ role: 'user', content: question }], max_tokens: 100 });
}

const spent = (await admin.admin.budgets.get(organizationId, budget.id)) as {
  spent_usd: string;
  reserved_usd: string;
};
console.log(`spent $${spent.spent_usd} of $${budget.limit_usd} (reserved $${spent.reserved_usd})`);

const usage = await admin.usage.get({ group_by: 'key' });
const row = usage.data.find((entry) => entry.group === key.id) as
  | { requests: number; cost_usd: string }
  | undefined;
console.log(`usage of the key: ${row?.requests ?? 0} requests, $${row?.cost_usd ?? '0'}`);

await admin.admin.budgets.update(organizationId, budget.id, { limit_usd: '0.000001' });
try {
  await app.chat.create({ model, messages: [{ role: 'user', content: 'One more?' }], max_tokens: 100 });
  console.log('unexpected: the request was not refused');
  process.exitCode = 1;
} catch (error) {
  if (!(error instanceof BudgetExceededError)) throw error;
  console.log(`refused: ${error.code} (${error.category}): ${error.message}`);
  if (error.recoveryHint) console.log(`hint: ${error.recoveryHint}`);
}

await admin.admin.budgets.delete(organizationId, budget.id);
await admin.admin.keys.revoke(organizationId, key.id);
console.log('budget deleted, key revoked');
