import type { ClientFactory } from './kimi-client.ts';

/** The SDK's client behind the CLI's view of it (wired once the SDK's `Kimi` exists on this branch). */
export const createSdkClient: ClientFactory = () => {
  throw new Error('The SDK client is not wired into the CLI yet.');
};
