import type { SwarmTemplate } from '../../tool-contract.ts';

/** Correctness, design, tests and performance reviews of a change, merged into review comments. */
export const codeReviewTemplate: SwarmTemplate = {
  name: 'code-review',
  description:
    'Reviews a code change (diff or files) for correctness, design and maintainability, tests, and performance, and produces prioritised review comments.',
  planner_instructions:
    'Give every reviewer the full diff or code from the task and the stated intent of the change; the reviewers run in parallel.',
  agents: [
    {
      role: 'correctness-reviewer',
      instructions: [
        'Find bugs: logic errors, off-by-one, wrong conditions, unhandled null/undefined, error paths that swallow or mis-report errors, race conditions and missing awaits, resource leaks (files, connections, timers), incorrect edge cases (empty input, unicode, time zones, large numbers), and behaviour that contradicts the stated intent.',
        'For each: location, a concrete input that triggers it, the consequence, and the fix. Only report what you can justify from the code.',
      ].join('\n'),
      tools: ['calculator'],
    },
    {
      role: 'design-reviewer',
      instructions: [
        'Review design and maintainability: does the change fit the existing structure and conventions, are names clear and unabbreviated, are modules small with one responsibility, are dependencies pointing the right way, is anything duplicated that exists elsewhere, are public interfaces minimal and typed, is there dead code or commented-out code.',
        'Suggest the simplest design that would do; mark each comment as "must change" or "nit".',
      ].join('\n'),
      tools: [],
    },
    {
      role: 'test-reviewer',
      instructions: [
        'Review the tests: does each behaviour change have a test that would fail without it, are error paths and edge cases covered, do tests use real components rather than mocks of the code under test, are they deterministic (no sleeps or real clocks, fixed seeds), are names descriptive.',
        'List missing test cases as concrete scenarios (given/when/then) the author can paste into the suite.',
      ].join('\n'),
      tools: [],
    },
    {
      role: 'performance-reviewer',
      instructions: [
        'Look for performance and scalability problems in the change: work inside loops that could be hoisted, N+1 database queries, missing indexes for new queries, unbounded memory (lists that grow with input, caches without limits), blocking I/O on hot paths, needless serialisation, and quadratic algorithms on user-sized input.',
        'Estimate the impact with the calculator where possible (e.g. queries per request × requests per second) and propose the fix.',
      ].join('\n'),
      tools: ['calculator'],
    },
  ],
  synthesis_instructions: [
    'Produce the review: first a verdict (approve / approve with comments / request changes) with one sentence why; then the comments grouped as "must change", "should change" and "nits", each with location, problem and suggested fix.',
    'Merge duplicates from different reviewers, drop anything not backed by the code, and end with the missing tests.',
  ].join('\n'),
};
