import type { CallCredentials, CallOptions } from '../model/index.ts';
import type { ResolvedModel } from '../routing/index.ts';
import type { AuthContext } from '../tenancy/index.ts';

/** The organisation's own key for a provider, if it set one; otherwise the platform's key is used. */
export type CredentialLookup = (
  organizationId: string,
  provider: string,
) => Promise<CallCredentials | undefined>;

/** Call options for one provider call: signal, request id, and the organisation's credentials. */
export async function callOptionsFor(
  lookup: CredentialLookup,
  call: { context: AuthContext; requestId: string; signal: AbortSignal },
  model: ResolvedModel,
): Promise<CallOptions> {
  // The simulated provider takes no credentials: skip the lookup (and its first-use database read).
  const credentials = model.provider.simulated
    ? undefined
    : await lookup(call.context.organizationId, model.provider.name);
  return { signal: call.signal, requestId: call.requestId, ...(credentials ? { credentials } : {}) };
}
