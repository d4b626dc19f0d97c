import { describe, expect, it } from 'vitest';
import { formatZodIssues } from './format-zod-issues.ts';
import { plansConfigSchema } from './plans-config-schema.ts';

function problems(value: unknown): string {
  const result = plansConfigSchema.safeParse(value);
  if (result.success) return '';
  return formatZodIssues(result.error);
}

describe('plans: config section', () => {
  it('accepts partial overrides and new plans, and defaults to none', () => {
    expect(plansConfigSchema.parse(undefined)).toEqual({});
    const parsed = plansConfigSchema.parse({
      free: { monthly_request_quota: 0 },
      team: {
        name: 'Team',
        rank: 2,
        monthly_price_usd: 99,
        monthly_budget_usd: '99.123456789',
        requests_per_minute: null,
      },
    });
    expect(parsed.team).toMatchObject({ monthly_price_usd: '99', monthly_budget_usd: '99.123456789' });
    expect(parsed.team?.requests_per_minute).toBeNull();
  });

  it.each([
    [{ team: { monthly_request_quota: -1 } }, 'team.monthly_request_quota'],
    [{ team: { monthly_request_quota: 1.5 } }, 'team.monthly_request_quota'],
    [{ team: { monthly_budget_usd: 0 } }, 'team.monthly_budget_usd: must be greater than 0'],
    [{ team: { monthly_budget_usd: -3 } }, 'team.monthly_budget_usd: must be greater than 0'],
    [{ team: { monthly_budget_usd: 2e9 } }, 'team.monthly_budget_usd: must be at most 1000000000'],
    [
      { team: { monthly_budget_usd: '0.1234567891' } },
      'team.monthly_budget_usd: must have at most 9 decimals',
    ],
    [{ team: { requests_per_minute: 0 } }, 'team.requests_per_minute'],
    [{ team: { tokens_per_minute: 1e10 } }, 'team.tokens_per_minute'],
    [{ team: { concurrent_requests: 'ten' } }, 'team.concurrent_requests'],
    [{ team: { allowed_models: ['open ai/*'] } }, 'team.allowed_models[0]'],
    [{ team: { quota: 5 } }, 'team'],
    [{ 'Team Plan': {} }, 'Team Plan'],
  ])('names the field of %j', (value, expected) => {
    expect(problems(value)).toContain(expected);
  });
});
