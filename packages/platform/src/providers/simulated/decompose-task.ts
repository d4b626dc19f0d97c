import { excerpt } from './prompt-text.ts';

/** The kinds of work the simulated planner hands out. */
export type SubtaskRole = 'researcher' | 'analyst' | 'writer' | 'synthesiser';

/** One subtask of a simulated plan; ids are lowercase letters, digits and dashes. */
export interface DecomposedSubtask {
  id: string;
  role: SubtaskRole;
  instructions: string;
  dependsOn: string[];
}

/** A plan of more subtasks would only repeat itself; real planners also keep to a handful. */
const mostSubtasks = 5;
/** Words of the task quoted in instructions: each agent is given the whole task besides. */
const quotedWords = 16;

interface Comparison {
  subjects: string[];
  /** What the comparison is for, e.g. `for a multi-tenant SaaS`; empty when the task says nothing. */
  context: string;
}

interface Aspect {
  id: string;
  /** Words that make this aspect a priority for the task. */
  triggers: RegExp;
  instructions(task: string): string;
}

const aspects: readonly Aspect[] = [
  {
    id: 'background',
    triggers: /\b(?:what|why|history|background|explain|concepts?|introduc\w*|overview)\b/i,
    instructions: (task) =>
      `Research the background: the key concepts, definitions and context needed for “${task}”.`,
  },
  {
    id: 'current-state',
    triggers: /\b(?:latest|current|recent|trends?|state|market|today|options?|tools?|landscape)\b/i,
    instructions: (task) =>
      `Research the current state: the main approaches, options and recent developments for “${task}”.`,
  },
  {
    id: 'evidence',
    triggers:
      /\b(?:data|costs?|prices?|performance|numbers?|statistics|benchmarks?|impact|footprint|efficien\w*|emissions?)\b/i,
    instructions: (task) =>
      `Gather evidence: data, figures, benchmarks and examples that bear on “${task}”, each with its source.`,
  },
  {
    id: 'practices',
    triggers: /\b(?:how|reduce|improve|implement|build|design|plan|migrate|adopt|steps?|guide|strateg\w*)\b/i,
    instructions: (task) =>
      `Research practical approaches: proven practices, concrete steps and pitfalls for “${task}”.`,
  },
  {
    id: 'risks',
    triggers: /\b(?:risks?|security|safety|threats?|trade-?offs?|challenges?|problems?|limits?|pitfalls?)\b/i,
    instructions: (task) => `Research the risks: trade-offs, constraints and open questions of “${task}”.`,
  },
];

/**
 * Splits a task into subtasks the way a careful planner would, from the task text alone (so the
 * same task always gets the same plan): a comparison ("A and B", "A vs B") gets one researcher
 * per subject and an analyst (and a writer) depending on them; any other task gets researchers
 * for two to four aspects and a synthesiser depending on them. At most `maximumSubtasks`.
 */
export function decomposeTask(task: string, maximumSubtasks: number): DecomposedSubtask[] {
  const limit = Math.max(1, Math.min(maximumSubtasks, mostSubtasks));
  const text = task.replace(/\s+/g, ' ').trim();
  const quoted = excerpt(text, quotedWords);
  if (limit === 1) {
    return [
      { id: 'answer', role: 'writer', instructions: `Answer the task in full: “${quoted}”.`, dependsOn: [] },
    ];
  }
  const comparison = parseComparison(text);
  if (comparison !== null && comparison.subjects.length < limit) {
    return comparisonPlan(comparison, quoted, limit);
  }
  return aspectPlan(text, quoted, limit);
}

function comparisonPlan(comparison: Comparison, quoted: string, limit: number): DecomposedSubtask[] {
  const { subjects, context } = comparison;
  const about = contextClause(context);
  const ids = new Set<string>();
  const researchers = subjects.map((subject, index): DecomposedSubtask => {
    let id = `research-${slug(subject)}`;
    if (id === 'research-' || ids.has(id)) id = `research-${index + 1}`;
    ids.add(id);
    return {
      id,
      role: 'researcher',
      instructions: `Research ${subject}${about}: its strengths, weaknesses, costs and typical uses, with evidence.`,
      dependsOn: [],
    };
  });
  const researcherIds = researchers.map((researcher) => researcher.id);
  const named = joinNames(subjects);
  if (subjects.length + 2 > limit) {
    return [
      ...researchers,
      {
        id: 'compare',
        role: 'analyst',
        instructions: `Compare ${named}${about} from the researchers' findings, criterion by criterion, and recommend one with the reasons.`,
        dependsOn: researcherIds,
      },
    ];
  }
  return [
    ...researchers,
    {
      id: 'compare',
      role: 'analyst',
      instructions: `Compare ${named}${about} side by side from the researchers' findings: the criteria that matter, the trade-offs, and where each fits best.`,
      dependsOn: researcherIds,
    },
    {
      id: 'recommend',
      role: 'writer',
      instructions: `Write the final answer to “${quoted}” from the comparison: a recommendation with its reasons, and when the other choice would be better.`,
      dependsOn: ['compare'],
    },
  ];
}

function aspectPlan(text: string, quoted: string, limit: number): DecomposedSubtask[] {
  const words = text.split(' ').length;
  const wanted = words <= 6 ? 2 : words <= 14 ? 3 : 4;
  const count = Math.min(wanted, limit - 1);
  const triggered = aspects.filter((aspect) => aspect.triggers.test(text));
  const chosen = [...new Set([...triggered, ...aspects])].slice(0, count);
  const selected = aspects.filter((aspect) => chosen.includes(aspect));
  const researchers = selected.map(
    (aspect): DecomposedSubtask => ({
      id: `research-${aspect.id}`,
      role: 'researcher',
      instructions: aspect.instructions(quoted),
      dependsOn: [],
    }),
  );
  return [
    ...researchers,
    {
      id: 'synthesise',
      role: 'synthesiser',
      instructions: `Combine the research into one complete answer to “${quoted}”: lead with the answer, then the supporting points, and say what remains uncertain.`,
      dependsOn: researchers.map((researcher) => researcher.id),
    },
  ];
}

const comparisonLead =
  /\b(?:compare|comparing|contrast|contrasting|comparison (?:of|between)|differences? between|choos(?:e|ing) between)\s+(.+)$/i;
const versus = /\s(?:vs\.?|versus)\s/i;
/** After "compare", the first subject ends at a comma or a joining word: "compare A with B". */
const firstSeparator = /\s*,\s*|\s+(?:and|or|vs\.?|versus|against|with|to)\s+/i;
/** Between the later subjects: "A, B and C", "A vs B vs C". */
const listSeparator = /\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|vs\.?|versus)\s+/i;
/** Where the subjects end and the purpose of the comparison begins. */
const contextStart =
  /\s(?:for|in|on|when|within|under|regarding|across|at|during|as|from|to|with|by|using)\s|\s*[:;?(]|\s[-–—]\s/i;
/** Before "A vs B" a question often names what is chosen: "Should we use A vs B". */
const choiceLead = /^.*(?:\b(?:use|using|choose|choosing|pick|adopt|prefer|between|of|is|are)\s+|,\s*)/i;

/** The subjects of a comparison and its purpose, or null when the task compares nothing. */
export function parseComparison(task: string): Comparison | null {
  const text = task.replace(/[.?!\s]+$/, '');
  const lead = comparisonLead.exec(text);
  const body = lead?.[1] ?? text;
  const separator = lead ? firstSeparator.exec(body) : versus.exec(body);
  if (separator === null) return null;
  const firstEnd = separator.index + separator[0].length;
  const contextIndex = body.slice(firstEnd).search(contextStart);
  const headEnd = contextIndex < 0 ? body.length : firstEnd + contextIndex;
  const first = body.slice(0, separator.index).trim();
  const parts = [
    lead ? first : first.replace(choiceLead, ''),
    ...body.slice(firstEnd, headEnd).split(listSeparator),
  ]
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  const subjects = [...new Map(parts.map((part) => [part.toLowerCase(), part])).values()];
  const plausible = subjects.every((subject) => subject.split(' ').length <= 6 && subject.length <= 60);
  const context = contextIndex < 0 ? '' : body.slice(headEnd).trim();
  return subjects.length >= 2 && plausible ? { subjects, context } : null;
}

/** ` for a multi-tenant SaaS` as it is; `: which is faster` as ` (which is faster)`. */
function contextClause(context: string): string {
  if (context.length === 0) return '';
  if (/^[\p{L}\p{N}]/u.test(context)) return ` ${context}`;
  const inner = context.replace(/^[\s:;?(\-–—]+|[\s)]+$/g, '');
  return inner.length > 0 ? ` (${inner})` : '';
}

function joinNames(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** `PostgreSQL 16` → `postgresql-16`: readable in step keys and URLs. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
    .replace(/-$/, '');
}
