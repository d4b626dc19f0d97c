import { initialMigration } from './0001-initial.ts';
import { providerKeysMigration } from './0002-provider-keys.ts';
import { cacheWriteTokensMigration } from './0003-cache-write-tokens.ts';
import { routingMigration } from './0004-routing.ts';
import { plansBudgetsLimitsMigration } from './0005-plans-budgets-limits.ts';
import { cacheMigration } from './0006-cache.ts';
import { swarmsMigration } from './0007-swarms.ts';
import { agentToolsTemplatesMigration } from './0008-agent-tools-templates.ts';
import { planAgentsMigration } from './0009-plan-agents.ts';
import { unpricedUsageMigration } from './0010-unpriced-usage.ts';
import { identityMigration } from './0011-identity.ts';
import { auditLogMigration } from './0012-audit-log.ts';
import { ssoSessionsMigration } from './0013-sso-sessions.ts';
import { userIdentitiesMigration } from './0014-user-identities.ts';
import { responsesMigration } from './0016-responses.ts';
import { rowLevelSecurityMigration } from './0017-row-level-security.ts';
import { cacheWriteOneHourTokensMigration } from './0018-cache-write-one-hour-tokens.ts';
import { filesBatchesMigration } from './0019-files-batches.ts';
import { responsesBackgroundConversationsMigration } from './0020-responses-background-conversations.ts';
import { knowledgeBasesMigration } from './0021-knowledge-bases.ts';
import { knowledgeIngestionMigration } from './0022-knowledge-ingestion.ts';
import { knowledgeKeywordSegmentsMigration } from './0023-knowledge-keyword-segments.ts';
import { swarmIdempotencyKeysMigration } from './0024-swarm-idempotency-keys.ts';
import { usageRecordPartitionsMigration } from './0025-usage-record-partitions.ts';
import { usageRollupsMigration } from './0026-usage-rollups.ts';
import { traceContentMigration } from './0027-trace-content.ts';
import { swarmRunTraceContextMigration } from './0028-swarm-run-trace-context.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [
  initialMigration,
  providerKeysMigration,
  cacheWriteTokensMigration,
  routingMigration,
  plansBudgetsLimitsMigration,
  cacheMigration,
  swarmsMigration,
  agentToolsTemplatesMigration,
  planAgentsMigration,
  unpricedUsageMigration,
  identityMigration,
  auditLogMigration,
  ssoSessionsMigration,
  userIdentitiesMigration,
  responsesMigration,
  rowLevelSecurityMigration,
  cacheWriteOneHourTokensMigration,
  filesBatchesMigration,
  responsesBackgroundConversationsMigration,
  knowledgeBasesMigration,
  knowledgeIngestionMigration,
  knowledgeKeywordSegmentsMigration,
  swarmIdempotencyKeysMigration,
  usageRecordPartitionsMigration,
  usageRollupsMigration,
  traceContentMigration,
  swarmRunTraceContextMigration,
];
