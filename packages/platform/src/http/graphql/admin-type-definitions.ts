/**
 * The GraphQL types of organisations, people, keys, plans and budgets. Field names are the REST
 * fields in camelCase (`created_at` → `createdAt`); JSON values (metadata, plan fields) are passed
 * through as REST shows them. Lists follow the REST envelopes: `data`, `hasMore`, `lastId`.
 */
export const adminTypeDefinitions = /* GraphQL */ `
  "Any JSON value, as the REST API shows it (keys inside stay as they are)."
  scalar JSON

  "Who is calling: the authenticated key, session or workload."
  type Viewer {
    organizationId: ID!
    principal: String!
    apiKeyId: ID!
    keyName: String!
    role: String!
    "Null: everything the role may do."
    scopes: [String!]
    "The role's permissions narrowed by the scopes."
    permissions: [String!]!
    userId: ID
    teamId: ID
  }

  type Organization {
    id: ID!
    name: String!
    metadata: JSON
    createdAt: String!
    disabledAt: String
    planId: ID
    "The plan and this month's usage (admin:organization)."
    plan: OrganizationPlan!
    "API keys (admin:keys)."
    keys(limit: Int = 100, after: String, includeRevoked: Boolean = false): ApiKeyList!
    key(id: ID!): ApiKey!
    "People (admin:members)."
    members(limit: Int = 100, after: String): MemberList!
    member(userId: ID!): Member!
    teams(limit: Int = 100, after: String): TeamList!
    team(id: ID!): Team!
    invitations(limit: Int = 100, after: String): InvitationList!
    "Budgets with their current period (admin:budgets)."
    budgets(limit: Int = 100, after: String, scope: BudgetScope): BudgetList!
    budget(id: ID!): Budget!
    budgetAlerts(limit: Int = 100, budgetId: ID): [BudgetAlert!]!
  }

  type OrganizationList {
    data: [Organization!]!
    hasMore: Boolean!
    lastId: String
  }

  type ApiKey {
    id: ID!
    organizationId: ID!
    name: String!
    role: String!
    scopes: [String!]
    userId: ID
    teamId: ID
    displayPrefix: String!
    allowedModels: [String!]
    metadata: JSON
    expiresAt: String
    revokedAt: String
    lastUsedAt: String
    createdAt: String!
  }

  type ApiKeyList {
    data: [ApiKey!]!
    hasMore: Boolean!
    lastId: String
  }

  "A new key and its secret, shown this once."
  type CreatedApiKey {
    apiKey: ApiKey!
    secret: String!
  }

  type RotatedApiKey {
    apiKey: ApiKey!
    secret: String!
    previousSecretValidUntil: String!
  }

  type Member {
    id: ID!
    organizationId: ID!
    email: String
    name: String
    status: String!
    role: String!
    teamIds: [ID!]!
    joinedAt: String!
  }

  type MemberList {
    data: [Member!]!
    hasMore: Boolean!
    lastId: String
  }

  type Team {
    id: ID!
    organizationId: ID!
    name: String!
    metadata: JSON
    memberIds: [ID!]!
    createdAt: String!
  }

  type TeamList {
    data: [Team!]!
    hasMore: Boolean!
    lastId: String
  }

  type Invitation {
    id: ID!
    organizationId: ID!
    email: String!
    role: String!
    teamId: ID
    status: String!
    invitedBy: String
    expiresAt: String!
    acceptedAt: String
    acceptedBy: String
    createdAt: String!
  }

  type InvitationList {
    data: [Invitation!]!
    hasMore: Boolean!
    lastId: String
  }

  "A new invitation with its token and link, shown this once."
  type IssuedInvitation {
    invitation: Invitation!
    token: String!
    acceptUrl: String
    webhookDelivered: Boolean
  }

  type Plan {
    id: ID!
    name: String!
    source: String!
    rank: Int
    monthlyPriceUsd: String
    monthlyRequestQuota: Int
    allowedModels: [String!]
    requestsPerMinute: Int
    tokensPerMinute: Int
    concurrentRequests: Int
    monthlyBudgetUsd: String
    maxAgentsPerRun: Int
    "Float: it may exceed a 32-bit Int."
    knowledgeMaxFileBytes: Float
    knowledgeMaxDocuments: Int
    knowledgeMaxChunks: Int
    createdAt: String!
    updatedAt: String!
  }

  type QuotaPeriod {
    start: String!
    resetsAt: String!
  }

  type OrganizationPlan {
    organizationId: ID!
    plan: Plan
    monthlyRequestsUsed: Int!
    quotaPeriod: QuotaPeriod!
  }

  enum BudgetScope {
    organization
    team
    api_key
    end_user
  }

  enum BudgetPeriod {
    day
    month
    total
  }

  type BudgetCurrentPeriod {
    key: String!
    start: String!
    resetsAt: String
  }

  type Budget {
    id: ID!
    organizationId: ID!
    scope: BudgetScope!
    subject: String
    limitUsd: String!
    period: BudgetPeriod!
    alertThresholds: [Int!]!
    currentPeriod: BudgetCurrentPeriod!
    spentUsd: String!
    reservedUsd: String!
    createdAt: String!
    updatedAt: String!
  }

  type BudgetList {
    data: [Budget!]!
    hasMore: Boolean!
    lastId: String
  }

  type BudgetAlert {
    id: ID!
    type: String!
    organizationId: ID!
    budgetId: ID!
    threshold: Int!
    spentUsd: String!
    limitUsd: String!
    periodStart: String!
    createdAt: String!
    deliveredAt: String
    deliveryAttempts: Int!
    lastDeliveryError: String
  }

  "What a delete answers, as REST does."
  type Deletion {
    id: ID!
    object: String!
    deleted: Boolean!
  }

  input CreateOrganizationInput {
    name: String!
    metadata: JSON
    "Omitted: the configured default plan; null: no plan."
    plan: ID
  }

  input CreateApiKeyInput {
    name: String!
    role: String
    scopes: [String!]
    teamId: ID
    allowedModels: [String!]
    expiresAt: String
    metadata: JSON
  }

  input CreateTeamInput {
    name: String!
    metadata: JSON
  }

  input UpdateTeamInput {
    name: String
    metadata: JSON
  }

  input CreateInvitationInput {
    email: String!
    role: String
    teamId: ID
    expiresInHours: Int
  }

  input CreateBudgetInput {
    scope: BudgetScope!
    subject: String
    limitUsd: String!
    period: BudgetPeriod!
    alertThresholds: [Int!]
  }

  input UpdateBudgetInput {
    limitUsd: String
    period: BudgetPeriod
    alertThresholds: [Int!]
  }
`;
