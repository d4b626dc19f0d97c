import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { registerAuditRoutes } from './audit-routes.ts';

/** The audit log surface (/v1/audit…), registered behind authentication. */
export function registerAuditSurface(app: FastifyInstance, platform: Platform): void {
  registerAuditRoutes(app, platform.audit);
}
