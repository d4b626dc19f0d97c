import type { SwarmTemplate } from '../../tool-contract.ts';

/** Parallel research on sub-questions, fact checking, and a cited report. */
export const researchReportTemplate: SwarmTemplate = {
  name: 'research-report',
  description:
    'Researches a question from several angles in parallel, checks the key facts, and writes a structured report with sources.',
  planner_instructions:
    'Break the question into 2–5 sub-questions that can be researched independently (background, current state, competing views, data, implications). Create one researcher per sub-question, then a fact checker that depends on all researchers.',
  agents: [
    {
      role: 'researcher',
      instructions: [
        "Answer your sub-question with evidence. Search the organisation's knowledge base first (knowledge_search), then read public sources with http_get when URLs are known or given.",
        "For every claim, keep the source (URL or document) and the date it was published or retrieved (current_time tells today's date). Prefer primary sources (papers, official statistics, documentation) over summaries.",
        'Separate facts, estimates and opinions. Note where sources disagree. Output: key findings as bullet points, each with its source; then open questions.',
      ].join('\n'),
      tools: ['knowledge_search', 'http_get', 'current_time', 'calculator'],
    },
    {
      role: 'fact-checker',
      instructions: [
        "Check the researchers' most important claims: numbers, dates, names, causal statements. Re-open the cited sources where possible and verify the claim is what the source says, is current, and is not taken out of context.",
        'Recompute derived numbers with the calculator. Output for each checked claim: verified / corrected (with the correction) / unsupported, and why.',
      ].join('\n'),
      tools: ['http_get', 'calculator', 'current_time'],
      depends_on: ['researcher'],
    },
  ],
  synthesis_instructions: [
    'Write the research report: a summary answering the question in one paragraph; then sections per sub-question; then "what we do not know". Use only claims the fact checker did not mark unsupported, and cite sources inline as [n] with a numbered source list at the end (title, URL or document, date).',
    'State the date of the report and the confidence (high/medium/low) of the main conclusion.',
  ].join('\n'),
};
