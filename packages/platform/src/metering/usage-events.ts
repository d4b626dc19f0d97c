import type { EventBus } from '../storage/pubsub/index.ts';
import type { UsageRecord } from './usage-record.ts';

/** The channel that says an organisation's usage records were committed (GraphQL's `usage` subscription). */
export function usageCommittedChannel(organizationId: string): string {
  return `usage-committed:${organizationId}`;
}

/** What a notice carries: ids only, never tokens, prompts or costs (readers query the ledger). */
export interface UsageCommittedNotice {
  requestIds: string[];
}

/**
 * Announces committed records, one notice per organisation and batch. At-most-once like every
 * event: a reader that must not miss usage re-reads the ledger, which stays the source of truth.
 */
export function announceCommittedUsage(
  eventBus: Pick<EventBus, 'publish'>,
  records: readonly UsageRecord[],
  onError: (error: unknown) => void,
): void {
  const byOrganization = new Map<string, string[]>();
  for (const record of records) {
    const ids = byOrganization.get(record.organizationId) ?? [];
    ids.push(record.requestId);
    byOrganization.set(record.organizationId, ids);
  }
  for (const [organizationId, requestIds] of byOrganization) {
    const notice: UsageCommittedNotice = { requestIds };
    eventBus.publish(usageCommittedChannel(organizationId), JSON.stringify(notice)).catch(onError);
  }
}
