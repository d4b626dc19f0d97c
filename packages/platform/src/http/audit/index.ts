import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { registerAuditRoutes } from './audit-routes.ts';

export { auditListQuerySchema, filtersOf as auditFiltersOf } from './audit-routes.ts';
export { serializeAuditEntry, serializeVerification } from './audit-serializers.ts';

/** The audit log surface (/v1/audit…), registered behind authentication. */
export function registerAuditSurface(app: FastifyInstance, platform: Platform): void {
  registerAuditRoutes(app, platform.audit);
}
