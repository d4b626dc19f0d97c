import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../support/index.ts';
import { canonicalRecordOf, chainKeyOf, hashOf } from './audit-hash.ts';
import type { AuditEntry } from './audit-types.ts';

const entry: Omit<AuditEntry, 'hash'> = {
  id: '42',
  chainKey: 'org_a',
  sequence: 3,
  createdAt: new Date('2026-05-01T10:00:00.123Z'),
  actor: { type: 'api_key', id: 'key_a', organizationId: 'org_a' },
  organizationId: 'org_a',
  action: 'budget.updated',
  target: { type: 'budget', id: 'bud_1' },
  before: { limit_usd: '10' },
  after: { limit_usd: '20' },
  clientAddress: '127.0.0.1',
  requestId: 'req_1',
  previousHash: 'a'.repeat(64),
};

describe('audit hashing', () => {
  it('hashes the sorted-key JSON of every field but the hash, flat and named as columns', () => {
    const record = canonicalRecordOf(entry);
    expect(Object.keys(record).sort()).toEqual([
      'action',
      'actor_id',
      'actor_organization_id',
      'actor_type',
      'after',
      'before',
      'chain_key',
      'client_address',
      'created_at',
      'id',
      'organization_id',
      'previous_hash',
      'request_id',
      'sequence',
      'target_id',
      'target_type',
    ]);
    const expected = createHash('sha256').update(canonicalJson(record)).digest('hex');
    expect(hashOf(entry)).toBe(expected);
    expect(hashOf(entry)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any field changes, the previous hash and the sequence included', () => {
    const original = hashOf(entry);
    expect(hashOf({ ...entry, after: { limit_usd: '21' } })).not.toBe(original);
    expect(hashOf({ ...entry, previousHash: 'b'.repeat(64) })).not.toBe(original);
    expect(hashOf({ ...entry, sequence: 4 })).not.toBe(original);
    expect(hashOf({ ...entry, createdAt: new Date(entry.createdAt.getTime() + 1) })).not.toBe(original);
    expect(hashOf({ ...entry, actor: { ...entry.actor, id: 'key_b' } })).not.toBe(original);
  });

  it('does not depend on the order of keys inside the summaries', () => {
    const one = hashOf({ ...entry, after: { a: 1, b: { c: 2, d: 3 } } });
    const other = hashOf({ ...entry, after: { b: { d: 3, c: 2 }, a: 1 } });
    expect(one).toBe(other);
  });

  it('keeps one chain per organisation and one for the platform', () => {
    expect(chainKeyOf('org_a')).toBe('org_a');
    expect(chainKeyOf(null)).toBe('platform');
  });
});
