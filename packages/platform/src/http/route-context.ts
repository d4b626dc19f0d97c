import type { Platform } from '../platform/index.ts';

/** What route modules receive: the platform's services, never raw process state. */
export type RouteContext = Platform;
