export { type AuditAction, auditActionFilterPattern, auditActions } from './audit-actions.ts';
export { actorOf, attributionOf, systemActor } from './audit-actor.ts';
export { canonicalRecordOf, chainKeyOf, hashOf, platformChainKey } from './audit-hash.ts';
export {
  type AuditLog,
  type AuditLogDependencies,
  createAuditLog,
  recordCrossOrganizationRead,
} from './audit-log.ts';
export {
  type AuditActor,
  type AuditActorType,
  type AuditEntry,
  type AuditEntryInput,
  type AuditFilters,
  type AuditPage,
  type AuditTarget,
  type AuditVerification,
  auditActorTypes,
  type JsonValue,
} from './audit-types.ts';
export { redactedMarker, redactSecrets } from './redact-secrets.ts';
