/**
 * The GraphQL types of usage, swarms, knowledge bases and the audit log, and the root types.
 * Token counts of aggregates are Float: a sum over many days may exceed a 32-bit Int.
 */
export const operationTypeDefinitions = /* GraphQL */ `
  "The groupings of GET /v1/usage."
  enum UsageGrouping {
    model
    key
    team
    day
  }

  type UsageTotals {
    requests: Float!
    failedRequests: Float!
    promptTokens: Float!
    completionTokens: Float!
    cachedTokens: Float!
    cacheWriteTokens: Float!
    cacheWrite1hTokens: Float!
    costUsd: String!
    cacheHits: Float!
    cacheSavedUsd: String!
    unpricedRequests: Float!
  }

  type UsageAggregate {
    group: String!
    requests: Float!
    failedRequests: Float!
    promptTokens: Float!
    completionTokens: Float!
    cachedTokens: Float!
    cacheWriteTokens: Float!
    cacheWrite1hTokens: Float!
    costUsd: String!
    cacheHits: Float!
    cacheSavedUsd: String!
    unpricedRequests: Float!
  }

  "The organisation's usage aggregated as GET /v1/usage aggregates it."
  type UsageReport {
    organizationId: ID!
    from: String!
    to: String!
    groupBy: UsageGrouping!
    data: [UsageAggregate!]!
    totals: UsageTotals!
  }

  enum SwarmStatus {
    queued
    running
    awaiting_approval
    completed
    failed
    cancelled
    timed_out
    budget_exhausted
  }

  type SwarmUsage {
    promptTokens: Float!
    completionTokens: Float!
    costUsd: String!
  }

  type SwarmStep {
    id: ID!
    kind: String!
    status: String!
    attempts: Int!
    model: String
    input: JSON
    output: JSON
    error: JSON
    promptTokens: Float!
    completionTokens: Float!
    costUsd: String!
    startedAt: String
    completedAt: String
  }

  type SwarmAgent {
    id: ID!
    role: String!
    instructions: String
    dependsOn: [String!]
    status: String!
    output: String
    error: String
    usage: SwarmUsage!
    steps: [SwarmStep!]!
  }

  type SwarmApproval {
    stepId: ID!
    agentId: ID
    input: JSON
  }

  type SwarmRun {
    id: ID!
    status: SwarmStatus!
    task: String!
    template: String
    knowledgeBases: [String!]!
    budgetUsd: String
    usage: SwarmUsage!
    error: JSON
    createdAt: String
    deadlineAt: String
    finishedAt: String
    "The plan, agents, steps, approvals and result (each read with the run's steps)."
    plan: JSON
    agents: [SwarmAgent!]!
    runSteps: [SwarmStep!]!
    pendingApprovals: [SwarmApproval!]!
    result: JSON
    "Stored events after the sequence number 'after', oldest first (the swarmEvents subscription follows them live)."
    events(after: Int = 0, limit: Int = 100): [SwarmEvent!]!
  }

  type SwarmRunList {
    data: [SwarmRun!]!
    hasMore: Boolean!
    nextCursor: String
  }

  "One event of a run, as the SSE and WebSocket streams carry it."
  type SwarmEvent {
    runId: ID!
    sequence: Int!
    type: String!
    data: JSON
    createdAt: String!
  }

  type KnowledgeChunking {
    maxTokens: Int!
    overlapTokens: Int!
  }

  type KnowledgeBase {
    id: ID!
    name: String!
    description: String
    embeddingModel: String!
    embeddingDimensions: Int
    chunking: KnowledgeChunking!
    metadata: JSON
    documentCount: Int!
    chunkCount: Int!
    "Seconds since the epoch, as REST shows them."
    createdAt: Int!
    updatedAt: Int!
    documents(limit: Int = 20, after: String): KnowledgeDocumentList!
    document(id: ID!): KnowledgeDocument!
    "Hybrid, vector or keyword search; the query is embedded and metered like POST …/search."
    search(query: String!, topK: Int = 10, mode: String = "hybrid", filter: JSON, minScore: Float): KnowledgeSearchResult!
  }

  type KnowledgeBaseList {
    data: [KnowledgeBase!]!
    firstId: String
    lastId: String
    hasMore: Boolean!
  }

  type KnowledgeDocumentError {
    code: String!
    message: String!
  }

  type KnowledgeDocument {
    id: ID!
    knowledgeBaseId: ID!
    externalId: String
    title: String!
    metadata: JSON
    status: String!
    error: KnowledgeDocumentError
    characterCount: Int!
    chunkCount: Int!
    chunksEmbedded: Int!
    createdAt: Int!
    updatedAt: Int!
  }

  type KnowledgeDocumentList {
    data: [KnowledgeDocument!]!
    firstId: String
    lastId: String
    hasMore: Boolean!
  }

  type KnowledgeSearchHit {
    documentId: ID!
    externalId: String
    chunkId: ID!
    title: String!
    text: String!
    start: Int!
    end: Int!
    headings: [String!]!
    metadata: JSON
    score: Float!
    vectorRank: Int
    keywordRank: Int
  }

  type KnowledgeSearchResult {
    mode: String!
    data: [KnowledgeSearchHit!]!
  }

  type KnowledgeUpload {
    documents: [KnowledgeDocument!]!
    "Whether every document reached ready or failed within waitSeconds."
    settled: Boolean!
  }

  type AuditActor {
    type: String!
    id: String
    organizationId: ID
  }

  type AuditTarget {
    type: String!
    id: String!
  }

  type AuditEntry {
    id: ID!
    createdAt: String!
    chainKey: String!
    sequence: Float!
    actor: AuditActor!
    organizationId: ID
    action: String!
    target: AuditTarget!
    before: JSON
    after: JSON
    clientAddress: String
    requestId: String
    previousHash: String
    hash: String!
  }

  type AuditEntryList {
    data: [AuditEntry!]!
    hasMore: Boolean!
    lastId: String
  }

  type AuditVerification {
    valid: Boolean!
    entries: Float!
    "The id of the first entry that does not match; null when valid."
    firstBroken: String
  }

  "The filters of GET /v1/audit."
  input AuditFilter {
    action: String
    actorId: String
    targetType: String
    targetId: String
    organizationId: ID
    from: String
    to: String
  }

  input SwarmAgentInput {
    role: String!
    instructions: String
    model: String
    routingPolicy: String
    tools: [String!]
    dependsOn: [String!]
  }

  "The body of POST /v1/swarms in camelCase."
  input CreateSwarmInput {
    task: String!
    template: String
    agents: [SwarmAgentInput!]
    model: String
    maxAgents: Int
    maxParallel: Int
    maxIterations: Int
    maxOutputTokens: Int
    budgetUsd: Float
    timeoutS: Int
    knowledgeBases: [String!]
  }

  enum ApprovalDecision {
    accept
    reject
  }

  input KnowledgeChunkingInput {
    maxTokens: Int
    overlapTokens: Int
  }

  input CreateKnowledgeBaseInput {
    name: String!
    description: String
    embeddingModel: String
    chunking: KnowledgeChunkingInput
    metadata: JSON
  }

  input UpdateKnowledgeBaseInput {
    name: String
    description: String
    chunking: KnowledgeChunkingInput
    metadata: JSON
  }

  input KnowledgeDocumentInput {
    text: String!
    title: String
    metadata: JSON
    externalId: String
  }

  type Query {
    viewer: Viewer!
    "An organisation (admin:organization); omit the id for the caller's own."
    organization(id: ID): Organization!
    "Every organisation (platform:organizations)."
    organizations(limit: Int = 100, after: String): OrganizationList!
    plans: [Plan!]!
    plan(id: ID!): Plan!
    "The caller's organisation's usage (usage:read), grouped like GET /v1/usage."
    usage(from: String, to: String, groupBy: UsageGrouping = model): UsageReport!
    swarms(status: SwarmStatus, limit: Int = 20, after: String): SwarmRunList!
    swarm(id: ID!): SwarmRun!
    knowledgeBases(limit: Int = 20, after: String): KnowledgeBaseList!
    knowledgeBase(id: ID!): KnowledgeBase!
    "Audit entries, newest first (audit:read)."
    auditEntries(filter: AuditFilter, limit: Int = 20, after: String): AuditEntryList!
    auditVerification(organizationId: ID): AuditVerification!
  }

  type Mutation {
    createOrganization(input: CreateOrganizationInput!): Organization!
    disableOrganization(id: ID!): Organization!
    createApiKey(organizationId: ID!, input: CreateApiKeyInput!): CreatedApiKey!
    rotateApiKey(organizationId: ID!, keyId: ID!, gracePeriodSeconds: Int = 86400): RotatedApiKey!
    revokeApiKey(organizationId: ID!, keyId: ID!): ApiKey!
    setMemberRole(organizationId: ID!, userId: ID!, role: String!): Member!
    removeMember(organizationId: ID!, userId: ID!): Deletion!
    createTeam(organizationId: ID!, input: CreateTeamInput!): Team!
    updateTeam(organizationId: ID!, teamId: ID!, input: UpdateTeamInput!): Team!
    deleteTeam(organizationId: ID!, teamId: ID!): Deletion!
    addTeamMember(organizationId: ID!, teamId: ID!, userId: ID!): Team!
    removeTeamMember(organizationId: ID!, teamId: ID!, userId: ID!): Team!
    createInvitation(organizationId: ID!, input: CreateInvitationInput!): IssuedInvitation!
    revokeInvitation(organizationId: ID!, invitationId: ID!): Invitation!
    createBudget(organizationId: ID!, input: CreateBudgetInput!): Budget!
    updateBudget(organizationId: ID!, budgetId: ID!, input: UpdateBudgetInput!): Budget!
    deleteBudget(organizationId: ID!, budgetId: ID!): Deletion!
    "Creates or replaces a plan (platform:plans); fields are PUT /v1/admin/plans/{id}'s JSON body."
    putPlan(id: ID!, fields: JSON!): Plan!
    deletePlan(id: ID!): Deletion!
    setOrganizationPlan(organizationId: ID!, plan: ID): Organization!
    createSwarm(input: CreateSwarmInput!): SwarmRun!
    cancelSwarm(id: ID!): SwarmRun!
    decideSwarmApproval(id: ID!, stepId: ID!, decision: ApprovalDecision!, reason: String): SwarmRun!
    createKnowledgeBase(input: CreateKnowledgeBaseInput!): KnowledgeBase!
    updateKnowledgeBase(id: ID!, input: UpdateKnowledgeBaseInput!): KnowledgeBase!
    deleteKnowledgeBase(id: ID!): Deletion!
    addKnowledgeDocuments(id: ID!, documents: [KnowledgeDocumentInput!]!, waitSeconds: Int = 0): KnowledgeUpload!
    deleteKnowledgeDocument(id: ID!, documentId: ID!): Deletion!
  }

  type Subscription {
    "A run's events after the sequence number 'after', until its last (swarms:read)."
    swarmEvents(swarmId: ID!, after: Int = 0): SwarmEvent!
    "The usage report now, then again each time the organisation's usage is metered (usage:read)."
    usage(groupBy: UsageGrouping = model, from: String): UsageReport!
  }
`;
