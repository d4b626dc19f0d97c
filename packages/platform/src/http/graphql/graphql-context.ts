import type { SwarmRunView } from '../../agents/index.ts';
import { errors } from '../../errors/index.ts';
import { type Permission, requirePermission } from '../../identity/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';

/** What every resolver is given: the authenticated caller and its request. */
export interface GraphQLContext {
  caller: AuthContext;
  /** The HTTP request's id (`x-request-id`), or the WebSocket upgrade's. */
  requestId: string;
  /** performance.now() when the request (or the subscription) arrived. */
  startedAt: number;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Runs read during this operation, so the detail fields of a run read it once. */
  swarmViews: Map<string, Promise<SwarmRunView>>;
  /** How the operation arrived: subscriptions are served over the WebSocket only. */
  transport: 'http' | 'websocket';
}

/** The context of one operation. */
export function operationContext(
  caller: AuthContext,
  request: { requestId: string; startedAt: number; signal: AbortSignal; transport: 'http' | 'websocket' },
): GraphQLContext {
  return { caller, ...request, swarmViews: new Map() };
}

/**
 * The same check as the REST route's declared permission (and, when an organisation is named,
 * that the caller acts in it); the service called afterwards checks again.
 */
export function guard(
  context: GraphQLContext,
  permission: Permission,
  action: string,
  organizationId?: string,
): void {
  requirePermission(context.caller, permission, organizationId, action);
}

/** A list's `limit`, refused as REST refuses it when outside 1…maximum. */
export function limitOf(limit: number, maximum: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > maximum) {
    throw errors.invalidRequest(
      'limit',
      `Invalid value for 'limit': it must be an integer from 1 to ${maximum}.`,
    );
  }
  return limit;
}
