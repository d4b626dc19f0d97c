import type { Clock } from '../../support/index.ts';
import type { MembershipRole } from './membership-roles.ts';
import type { ProviderFetch } from './provider-fetch.ts';
import type { SignInDecision, SignInDirectory, SignInRequest, SsoConnectionSource } from './sign-in-ports.ts';
import type { SsoConnection } from './sso-connection-schema.ts';

/** The connection port in memory (the SQL source has its own suite on both databases). */
export class InMemoryConnections implements SsoConnectionSource {
  readonly connections = new Map<string, SsoConnection>();

  put(connection: SsoConnection): SsoConnection {
    this.connections.set(connection.organizationId, connection);
    return connection;
  }

  async find(organizationId: string): Promise<SsoConnection | null> {
    return this.connections.get(organizationId) ?? null;
  }

  async findByIssuer(issuer: string): Promise<readonly SsoConnection[]> {
    return [...this.connections.values()].filter((connection) => connection.issuer === issuer);
  }
}

/** The directory port as the identity room will behave: users created just in time, linked by (issuer, subject). */
export class InMemoryDirectory implements SignInDirectory {
  readonly requests: SignInRequest[] = [];
  readonly users = new Map<string, { userId: string; role: MembershipRole }>();
  refuseSubjects = new Set<string>();

  async resolve(request: SignInRequest): Promise<SignInDecision> {
    this.requests.push(request);
    if (this.refuseSubjects.has(request.subject))
      return { outcome: 'refused', reason: 'the user is disabled' };
    const key = `${request.issuer} ${request.subject}`;
    const user = {
      userId: this.users.get(key)?.userId ?? `user_${this.users.size + 1}`,
      role: request.mappedRole,
    };
    this.users.set(key, user);
    return { outcome: 'accepted', ...user };
  }
}

/** The real fetch, recording each URL, with an optional hook that may replace an answer (a man in the middle). */
export function recordingFetch() {
  const calls: string[] = [];
  let intercept: ((url: string, response: Response) => Promise<Response>) | null = null;
  const fetchFunction: ProviderFetch = async (input, init) => {
    calls.push(input);
    const response = await fetch(input, init);
    return intercept ? intercept(input, response) : response;
  };
  return {
    fetch: fetchFunction,
    calls,
    count: (fragment: string) => calls.filter((url) => url.includes(fragment)).length,
    intercept(hook: ((url: string, response: Response) => Promise<Response>) | null) {
      intercept = hook;
    },
  };
}

/** Real time moved by a settable offset, since the provider under test runs on real time. */
export function offsetClock(): Clock & { offsetMs: number } {
  const clock = {
    offsetMs: 0,
    now: () => Date.now() + clock.offsetMs,
    sleep: (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)),
  };
  return clock;
}

export function connectionFor(
  organizationId: string,
  issuer: string,
  client: { clientId: string; clientSecret: string; redirectUri: string },
  overrides: Partial<SsoConnection> = {},
): SsoConnection {
  return {
    organizationId,
    issuer,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUri: client.redirectUri,
    scopes: ['openid', 'email', 'profile', 'groups'],
    tokenEndpointAuthMethod: 'client_secret_basic',
    groupsClaim: 'groups',
    emailClaim: 'email',
    roleMapping: { engineers: 'developer', 'platform-admins': 'admin', finance: 'billing' },
    defaultRole: null,
    requireSso: true,
    bearerAudiences: [],
    updatedAt: new Date(),
    ...overrides,
  };
}
