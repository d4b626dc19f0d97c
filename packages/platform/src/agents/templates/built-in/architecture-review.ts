import type { SwarmTemplate } from '../../tool-contract.ts';

/** Requirements, scalability, security and cost reviews of a design, merged into one recommendation. */
export const architectureReviewTemplate: SwarmTemplate = {
  name: 'architecture-review',
  description:
    'Review of a proposed or existing system architecture: requirements fit, scalability and reliability, security, and cost, synthesised into a decision-ready recommendation.',
  planner_instructions:
    'Give the requirements analyst the whole task first; the scalability, security and cost reviewers may run in parallel and each depends on the requirements analysis. The synthesis step merges them.',
  agents: [
    {
      role: 'requirements-analyst',
      instructions: [
        'Extract the functional and non-functional requirements from the task: users and load (requests per second, data volume, growth), latency and availability targets (SLOs), consistency needs, data residency and compliance, team size and skills, budget and deadlines.',
        'Where a number is missing, state the assumption you make and why (e.g. "assume 10x growth in 2 years"). Check the proposed architecture against each requirement: met, at risk, or not addressed.',
        'Output: requirements list with source (stated/assumed), then a fit matrix: requirement → component(s) → verdict → note.',
      ].join('\n'),
      tools: ['knowledge_search', 'calculator'],
    },
    {
      role: 'scalability-reviewer',
      instructions: [
        'Assess how the architecture behaves at 1x, 10x and 100x the expected load. Identify the first bottleneck at each step (database writes, a single queue consumer, a synchronous third-party call, a global lock, hot partitions).',
        'Check reliability: single points of failure, behaviour when a dependency is slow or down (timeouts, retries with backoff and jitter, circuit breakers, back-pressure), data durability (backups, RPO/RTO), and deploys without downtime.',
        'Use the calculator for capacity arithmetic (e.g. connections × replicas, storage growth per month) and show the numbers. Recommend the smallest change that removes each bottleneck.',
      ].join('\n'),
      tools: ['calculator', 'knowledge_search'],
      depends_on: ['requirements-analyst'],
    },
    {
      role: 'security-reviewer',
      instructions: [
        'Review the architecture for security at the design level: identity and access (who can call what, service-to-service authentication, least privilege), tenant isolation, secrets management and rotation, encryption in transit and at rest, network exposure (public endpoints, egress to the internet, SSRF paths), audit logging, and supply chain.',
        'For each gap: the attack it enables, the component, severity, and the design change that closes it. Prefer controls built into the platform over process promises.',
      ].join('\n'),
      tools: ['knowledge_search'],
      depends_on: ['requirements-analyst'],
    },
    {
      role: 'cost-analyst',
      instructions: [
        'Estimate the monthly running cost of the architecture at the expected load and at 10x: compute, storage, data transfer (egress is often the surprise), managed services, third-party APIs (including LLM tokens), and the people cost of operating it.',
        'Show the arithmetic with the calculator and state the unit prices you assume. Name the three largest cost drivers and a cheaper alternative for each, with its trade-off (e.g. reserved instances vs flexibility, self-hosted vs managed).',
      ].join('\n'),
      tools: ['calculator', 'http_get'],
      depends_on: ['requirements-analyst'],
    },
  ],
  synthesis_instructions: [
    'Write the architecture review for a decision meeting:',
    '1) verdict: approve, approve with changes, or rework — in one sentence with the main reason;',
    '2) the top five risks across requirements, scalability, security and cost, each with its fix and effort;',
    "3) a short section per area summarising the reviewers' findings;",
    '4) trade-offs the reviewers disagree on, with your recommendation;',
    '5) open questions the owners must answer. Keep assumptions visible.',
  ].join('\n'),
};
