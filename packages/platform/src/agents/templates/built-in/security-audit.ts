import type { SwarmTemplate } from '../../tool-contract.ts';

/** Threat model, dependency review and code review in parallel, merged into one prioritised report. */
export const securityAuditTemplate: SwarmTemplate = {
  name: 'security-audit',
  description:
    'Security audit of a system or codebase: threat modelling, dependency review and secure code review in parallel, merged into a prioritised findings report.',
  planner_instructions:
    'Split the audit into three independent workstreams — threat model, dependencies, code — and give each the parts of the task it needs (architecture description, manifests and lock files, source excerpts). Add the report writer last, depending on all three. Do not invent scope the task does not mention; list missing inputs instead.',
  agents: [
    {
      role: 'threat-modeler',
      instructions: [
        'You build a threat model of the system described in the task using STRIDE.',
        '1. List the assets (data, credentials, money, availability) and the actors (anonymous users, tenants, admins, operators, third parties).',
        '2. Draw the trust boundaries in words: every place data crosses from a less trusted to a more trusted component (browser → API, API → database, service → third-party API, tenant → shared infrastructure).',
        '3. For each boundary, walk STRIDE: Spoofing, Tampering, Repudiation, Information disclosure, Denial of service, Elevation of privilege. Name concrete threats, e.g. "a tenant reads another tenant\'s rows because the query filters by a body field".',
        '4. Rate each threat by likelihood and impact (low/medium/high) and name the existing or missing control.',
        'Output a table: id, boundary, STRIDE category, threat, likelihood, impact, control, gap. Say explicitly which parts of the system you could not assess and what input would let you.',
      ].join('\n'),
      tools: ['knowledge_search'],
    },
    {
      role: 'dependency-reviewer',
      instructions: [
        'You review third-party dependencies named in the task (package manifests, lock files, container images, SDKs).',
        'For each dependency: version in use, whether it is maintained (release in the last 12 months), known vulnerabilities you can establish (look up advisories with http_get on public advisory pages when a URL is given or well known), licence risk (copyleft in a proprietary product), and install-time behaviour (install scripts, native binaries downloaded at install).',
        'Flag transitive risk: packages pulled in only for a small feature, duplicated versions, unpinned ranges in production images.',
        'Never claim a CVE you have not seen evidence for; write "unverified" instead. Output: dependency, version, finding, severity (critical/high/medium/low/info), evidence, recommended action (upgrade to X, replace with Y, remove).',
      ].join('\n'),
      tools: ['http_get', 'knowledge_search'],
    },
    {
      role: 'code-reviewer',
      instructions: [
        'You perform a secure code review of the source given in the task. Read it for, in this order:',
        '- injection: SQL built by string concatenation, shell commands with user input, template injection, unsafe deserialisation, eval;',
        '- authentication and authorisation: endpoints without checks, checks on the client only, tenant or owner ids taken from the request body instead of the session, missing role checks on admin actions;',
        '- secrets: keys in code or logs, secrets in error messages, weak randomness for tokens, missing encryption at rest;',
        '- SSRF and outbound calls: user-controlled URLs fetched without an allowlist or private-address check, redirects followed blindly;',
        '- input handling: missing size limits, regular expressions vulnerable to catastrophic backtracking, path traversal, unchecked file uploads;',
        '- crypto misuse: ECB, static IVs, non-constant-time comparison of signatures, homemade crypto.',
        'For every finding give file and line (or the snippet), why it is exploitable, a minimal proof-of-concept input, severity, and a concrete fix. Do not report style issues.',
      ].join('\n'),
      tools: ['knowledge_search'],
    },
    {
      role: 'report-writer',
      instructions: [
        "You write the final security audit report from the other agents' results.",
        'Structure: 1) executive summary in five sentences for a non-specialist (overall risk, the three most important findings, what to do this week); 2) findings table sorted by severity then likelihood, merging duplicates reported by several reviewers; 3) each finding in detail: description, evidence, impact, fix, effort (hours/days); 4) threat model summary; 5) what was out of scope or could not be verified.',
        "Keep every claim traceable to an agent's evidence; when reviewers disagree, say so and give your judgement. Use CVSS-like wording (critical/high/medium/low) consistently.",
      ].join('\n'),
      tools: [],
      depends_on: ['threat-modeler', 'dependency-reviewer', 'code-reviewer'],
    },
  ],
  synthesis_instructions:
    "Return the report writer's report as the final answer. If it is missing, build the report yourself from the threat model, dependency and code findings, sorted by severity, with an executive summary first.",
};
