import type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyList,
  ApiKeyWithSecret,
  ApiObject,
  ListEnvelope,
  Organization,
  RateLimitsChange,
  RotatedApiKey,
} from '../api-types.ts';
import { type Query, segment, type Transport } from '../transport/index.ts';

type Pagination = { limit?: number; after?: string };

const organizationPath = (organizationId: string) => `/v1/admin/organizations/${segment(organizationId)}`;

/** A collection under one organisation, e.g. `/v1/admin/organizations/{id}/budgets`. */
class OrganizationCollection<Item = ApiObject, Create = ApiObject, Update = ApiObject> {
  protected readonly transport: Transport;
  readonly #name: string;

  constructor(transport: Transport, name: string) {
    this.transport = transport;
    this.#name = name;
  }

  protected path(organizationId: string, id?: string): string {
    return `${organizationPath(organizationId)}/${this.#name}${id === undefined ? '' : `/${segment(id)}`}`;
  }

  create(organizationId: string, body: Create): Promise<Item> {
    return this.transport.json({ method: 'POST', path: this.path(organizationId), json: body });
  }
  list(organizationId: string, query: Pagination & Query = {}): Promise<ListEnvelope<Item>> {
    return this.transport.json({ method: 'GET', path: this.path(organizationId), query });
  }
  get(organizationId: string, id: string): Promise<Item> {
    return this.transport.json({ method: 'GET', path: this.path(organizationId, id) });
  }
  update(organizationId: string, id: string, body: Update): Promise<Item> {
    return this.transport.json({ method: 'PATCH', path: this.path(organizationId, id), json: body });
  }
  delete(organizationId: string, id: string): Promise<unknown> {
    return this.transport.json({ method: 'DELETE', path: this.path(organizationId, id) });
  }
}

/** /v1/admin/organizations/{id}/keys: the secret is in the answer of create and rotate only. */
export class AdminKeysResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  #path(organizationId: string, keyId?: string) {
    return `${organizationPath(organizationId)}/keys${keyId === undefined ? '' : `/${segment(keyId)}`}`;
  }
  create(organizationId: string, body: ApiKeyCreate): Promise<ApiKeyWithSecret> {
    return this.#transport.json({ method: 'POST', path: this.#path(organizationId), json: body });
  }
  list(organizationId: string, query: Pagination & { include_revoked?: boolean } = {}): Promise<ApiKeyList> {
    return this.#transport.json({ method: 'GET', path: this.#path(organizationId), query });
  }
  get(organizationId: string, keyId: string): Promise<ApiKey> {
    return this.#transport.json({ method: 'GET', path: this.#path(organizationId, keyId) });
  }
  revoke(organizationId: string, keyId: string): Promise<ApiKey> {
    return this.#transport.json({ method: 'DELETE', path: this.#path(organizationId, keyId) });
  }
  /** A new secret; the old one keeps working for `grace_period_seconds` (default one day). */
  rotate(
    organizationId: string,
    keyId: string,
    body: { grace_period_seconds?: number } = {},
  ): Promise<RotatedApiKey> {
    return this.#transport.json({
      method: 'POST',
      path: `${this.#path(organizationId, keyId)}/rotate`,
      json: body,
    });
  }
}

/** /v1/admin/organizations (platform administrators). */
export class AdminOrganizationsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  create(body: {
    name: string;
    [field: string]: unknown;
  }): Promise<Organization & { [field: string]: unknown }> {
    return this.#transport.json({ method: 'POST', path: '/v1/admin/organizations', json: body });
  }
  list(query: Pagination = {}): Promise<ListEnvelope<Organization>> {
    return this.#transport.json({ method: 'GET', path: '/v1/admin/organizations', query });
  }
  get(organizationId: string): Promise<Organization> {
    return this.#transport.json({ method: 'GET', path: organizationPath(organizationId) });
  }
  delete(organizationId: string): Promise<unknown> {
    return this.#transport.json({ method: 'DELETE', path: organizationPath(organizationId) });
  }
}

/** Members: list, get, change (role), remove. */
export class AdminMembersResource extends OrganizationCollection {
  constructor(transport: Transport) {
    super(transport, 'members');
  }
}

/** Teams, and their members. */
export class AdminTeamsResource extends OrganizationCollection {
  constructor(transport: Transport) {
    super(transport, 'teams');
  }
  addMember(organizationId: string, teamId: string, userId: string, body: ApiObject = {}): Promise<unknown> {
    return this.transport.json({
      method: 'PUT',
      path: `${this.path(organizationId, teamId)}/members/${segment(userId)}`,
      json: body,
    });
  }
  removeMember(organizationId: string, teamId: string, userId: string): Promise<unknown> {
    return this.transport.json({
      method: 'DELETE',
      path: `${this.path(organizationId, teamId)}/members/${segment(userId)}`,
    });
  }
}

/** Invitations: create, list, revoke (delete). */
export class AdminInvitationsResource extends OrganizationCollection {
  constructor(transport: Transport) {
    super(transport, 'invitations');
  }
}

/** Budgets, and the alerts they sent. */
export class AdminBudgetsResource extends OrganizationCollection {
  constructor(transport: Transport) {
    super(transport, 'budgets');
  }
  alerts(organizationId: string, query: Pagination = {}): Promise<ListEnvelope<ApiObject>> {
    return this.transport.json({
      method: 'GET',
      path: `${organizationPath(organizationId)}/budget-alerts`,
      query,
    });
  }
}

/** Plans (platform-wide) and an organisation's plan. */
export class AdminPlansResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  list(): Promise<ListEnvelope<ApiObject>> {
    return this.#transport.json({ method: 'GET', path: '/v1/admin/plans' });
  }
  get(planId: string): Promise<ApiObject> {
    return this.#transport.json({ method: 'GET', path: `/v1/admin/plans/${segment(planId)}` });
  }
  put(planId: string, body: ApiObject): Promise<ApiObject> {
    return this.#transport.json({ method: 'PUT', path: `/v1/admin/plans/${segment(planId)}`, json: body });
  }
  delete(planId: string): Promise<unknown> {
    return this.#transport.json({ method: 'DELETE', path: `/v1/admin/plans/${segment(planId)}` });
  }
  ofOrganization(organizationId: string): Promise<ApiObject> {
    return this.#transport.json({ method: 'GET', path: `${organizationPath(organizationId)}/plan` });
  }
  /** Puts the organisation on a plan (`null`: none). */
  assign(organizationId: string, body: { plan: string | null }): Promise<ApiObject> {
    return this.#transport.json({
      method: 'PUT',
      path: `${organizationPath(organizationId)}/plan`,
      json: body,
    });
  }
}

/** Rate limits of an organisation, a key, or a team. A number sets, null clears, absent keeps. */
export class AdminRateLimitsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  get(organizationId: string): Promise<ApiObject> {
    return this.#transport.json({ method: 'GET', path: `${organizationPath(organizationId)}/rate-limits` });
  }
  set(organizationId: string, change: RateLimitsChange): Promise<ApiObject> {
    return this.#transport.json({
      method: 'PUT',
      path: `${organizationPath(organizationId)}/rate-limits`,
      json: change,
    });
  }
  getForKey(organizationId: string, keyId: string): Promise<ApiObject> {
    return this.#transport.json({
      method: 'GET',
      path: `${organizationPath(organizationId)}/keys/${segment(keyId)}/rate-limits`,
    });
  }
  setForKey(organizationId: string, keyId: string, change: RateLimitsChange): Promise<ApiObject> {
    return this.#transport.json({
      method: 'PUT',
      path: `${organizationPath(organizationId)}/keys/${segment(keyId)}/rate-limits`,
      json: change,
    });
  }
  getForTeam(organizationId: string, teamId: string): Promise<ApiObject> {
    return this.#transport.json({
      method: 'GET',
      path: `${organizationPath(organizationId)}/teams/${segment(teamId)}/rate-limits`,
    });
  }
  setForTeam(organizationId: string, teamId: string, change: RateLimitsChange): Promise<ApiObject> {
    return this.#transport.json({
      method: 'PUT',
      path: `${organizationPath(organizationId)}/teams/${segment(teamId)}/rate-limits`,
      json: change,
    });
  }
}

/** The organisation's budget-alert webhook. */
export class AdminWebhookResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  get(organizationId: string): Promise<ApiObject> {
    return this.#transport.json({ method: 'GET', path: `${organizationPath(organizationId)}/webhook` });
  }
  set(organizationId: string, body: { url: string; [field: string]: unknown }): Promise<ApiObject> {
    return this.#transport.json({
      method: 'PUT',
      path: `${organizationPath(organizationId)}/webhook`,
      json: body,
    });
  }
  delete(organizationId: string): Promise<unknown> {
    return this.#transport.json({ method: 'DELETE', path: `${organizationPath(organizationId)}/webhook` });
  }
}

/** The admin API: /v1/admin/… */
export class AdminResource {
  readonly organizations: AdminOrganizationsResource;
  readonly keys: AdminKeysResource;
  readonly members: AdminMembersResource;
  readonly teams: AdminTeamsResource;
  readonly invitations: AdminInvitationsResource;
  readonly budgets: AdminBudgetsResource;
  readonly plans: AdminPlansResource;
  readonly rateLimits: AdminRateLimitsResource;
  readonly webhook: AdminWebhookResource;

  constructor(transport: Transport) {
    this.organizations = new AdminOrganizationsResource(transport);
    this.keys = new AdminKeysResource(transport);
    this.members = new AdminMembersResource(transport);
    this.teams = new AdminTeamsResource(transport);
    this.invitations = new AdminInvitationsResource(transport);
    this.budgets = new AdminBudgetsResource(transport);
    this.plans = new AdminPlansResource(transport);
    this.rateLimits = new AdminRateLimitsResource(transport);
    this.webhook = new AdminWebhookResource(transport);
  }
}
