import type { CrossTenantVariant, ProbeTenant, RouteCase } from './route-probe-cases.ts';

/**
 * GraphQL operations that name another organisation's resources: each must be refused
 * (`refused`: every error NOT_FOUND or PERMISSION_DENIED and no data) or answer only the caller's
 * own data (`ignored`). The route-probe suites send them to POST /graphql; the cross-tenant suite
 * also checks the codes.
 */
export interface GraphQLCrossTenantCase {
  label: string;
  query: string;
  expect: 'refused' | 'ignored';
}

export function graphqlCrossTenantCases(victim: ProbeTenant): GraphQLCrossTenantCase[] {
  const organization = JSON.stringify(victim.organizationId);
  const refused = (label: string, query: string): GraphQLCrossTenantCase => ({
    label,
    query,
    expect: 'refused',
  });
  const ignored = (label: string, query: string): GraphQLCrossTenantCase => ({
    label,
    query,
    expect: 'ignored',
  });
  return [
    refused("the victim's organization", `{ organization(id: ${organization}) { id name metadata planId } }`),
    refused(
      "the victim's keys",
      `{ organization(id: ${organization}) { keys { data { id name displayPrefix } } } }`,
    ),
    refused(
      "the victim's members and teams",
      `{ organization(id: ${organization}) { members { data { id email } } teams { data { id name } } } }`,
    ),
    refused(
      "the victim's budgets",
      `{ organization(id: ${organization}) { budgets { data { id limitUsd } } budgetAlerts { id } } }`,
    ),
    refused("the victim's plan", `{ organization(id: ${organization}) { plan { monthlyRequestsUsed } } }`),
    refused("the victim's key by id", `{ organization { key(id: "${victim.memberKeyId}") { id name } } }`),
    refused(
      "the victim's budget by id",
      `{ organization { budget(id: "${victim.budgetId}") { id limitUsd } } }`,
    ),
    refused(
      "the victim's member by id",
      `{ organization { member(userId: "${victim.userId}") { id email } } }`,
    ),
    refused("the victim's team by id", `{ organization { team(id: "${victim.teamId}") { id name } } }`),
    refused("the victim's swarm run", `{ swarm(id: "${victim.runId}") { id task status agents { id } } }`),
    refused(
      "the victim's knowledge base",
      `{ knowledgeBase(id: "${victim.knowledgeBaseId}") { id name documents { data { id title } } } }`,
    ),
    refused(
      "a search of the victim's knowledge base",
      `{ knowledgeBase(id: "${victim.knowledgeBaseId}") { search(query: "probe") { data { text } } } }`,
    ),
    refused(
      "the victim's audit entries",
      `{ auditEntries(filter: { organizationId: ${organization} }) { data { id action } } }`,
    ),
    refused(
      "the victim's audit chain",
      `{ auditVerification(organizationId: ${organization}) { valid entries } }`,
    ),
    ignored(
      "audit entries about the victim's organization",
      `{ auditEntries(filter: { targetId: ${organization} }) { data { id action target { id } } } }`,
    ),
    ignored(
      "audit entries by the victim's admin key",
      `{ auditEntries(filter: { actorId: "${victim.adminKeyId}" }) { data { id action } } }`,
    ),
    ignored('usage by key', '{ usage(groupBy: key) { organizationId data { group requests } } }'),
    ignored("a run cursor at the victim's run", `{ swarms(after: "${victim.runId}") { data { id task } } }`),
    ignored(
      "a knowledge cursor at the victim's base",
      `{ knowledgeBases(after: "${victim.knowledgeBaseId}") { data { id name } } }`,
    ),
    refused(
      "revoking the victim's key",
      `mutation { revokeApiKey(organizationId: ${organization}, keyId: "${victim.memberKeyId}") { id } }`,
    ),
    refused(
      "rotating the victim's key",
      `mutation { rotateApiKey(organizationId: ${organization}, keyId: "${victim.memberKeyId}") { secret } }`,
    ),
    refused(
      "a key in the victim's organization",
      `mutation { createApiKey(organizationId: ${organization}, input: { name: "stolen" }) { secret } }`,
    ),
    refused(
      "changing the victim's budget",
      `mutation { updateBudget(organizationId: ${organization}, budgetId: "${victim.budgetId}", input: { limitUsd: "1" }) { id } }`,
    ),
    refused(
      "deleting the victim's budget",
      `mutation { deleteBudget(organizationId: ${organization}, budgetId: "${victim.budgetId}") { id } }`,
    ),
    refused(
      "removing the victim's member",
      `mutation { removeMember(organizationId: ${organization}, userId: "${victim.userId}") { id } }`,
    ),
    refused(
      "deleting the victim's team",
      `mutation { deleteTeam(organizationId: ${organization}, teamId: "${victim.teamId}") { id } }`,
    ),
    refused("cancelling the victim's run", `mutation { cancelSwarm(id: "${victim.runId}") { id status } }`),
    refused(
      "approving in the victim's run",
      `mutation { decideSwarmApproval(id: "${victim.runId}", stepId: "step_probe", decision: accept) { id } }`,
    ),
    refused(
      "renaming the victim's knowledge base",
      `mutation { updateKnowledgeBase(id: "${victim.knowledgeBaseId}", input: { name: "stolen" }) { id } }`,
    ),
    refused(
      "uploading to the victim's knowledge base",
      `mutation { addKnowledgeDocuments(id: "${victim.knowledgeBaseId}", documents: [{ text: "planted" }]) { settled } }`,
    ),
    refused(
      "deleting the victim's document",
      `mutation { deleteKnowledgeDocument(id: "${victim.knowledgeBaseId}", documentId: "${victim.knowledgeDocumentId}") { id } }`,
    ),
    refused(
      "deleting the victim's knowledge base",
      `mutation { deleteKnowledgeBase(id: "${victim.knowledgeBaseId}") { id } }`,
    ),
    refused(
      "a swarm over the victim's knowledge base",
      `mutation { createSwarm(input: { task: "Go.", knowledgeBases: ["${victim.knowledgeBaseId}"] }) { id } }`,
    ),
  ];
}

/**
 * The /graphql routes. GraphQL answers a well-formed request 200 with coded errors, so the
 * variants are `ignored` here (no 5xx, nothing of the victim shown); the cross-tenant suite
 * checks their codes.
 */
export const graphqlRouteCases: Record<string, RouteCase> = {
  'POST /graphql': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({
      query:
        'query Probe($limit: Int) { viewer { organizationId role } swarms(limit: $limit) { data { id } } }',
      variables: { limit: 5 },
    }),
    crossTenant: (victim): CrossTenantVariant[] =>
      graphqlCrossTenantCases(victim).map((variant) => ({
        label: variant.label,
        body: { query: variant.query },
        expect: 'ignored',
      })),
  },
  // GET serves queries over HTTP and, upgraded, graphql-ws (probed in the GraphQL suites).
  'GET /graphql': {
    caller: 'member',
    tenancy: 'own',
    query: { query: '{ viewer { organizationId role } }' },
  },
};
