import { describe, expect, it } from 'vitest';
import type { SwarmTemplate } from '../tool-contract.ts';
import { builtInTemplates } from './built-in-templates.ts';
import { swarmTemplateSchema } from './template-schema.ts';

type TemplateAgent = SwarmTemplate['agents'][number];

/** Roles that work from the other agents' results, so they must come last and wait for all. */
const mergingRole = /writer|report|synthesi[sz]er|checker/;

/** Every role `role` waits for, directly or through others. */
function prerequisites(agents: readonly TemplateAgent[], role: string): Set<string> {
  const byRole = new Map(agents.map((agent) => [agent.role, agent]));
  const found = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of byRole.get(current)?.depends_on ?? []) {
      if (found.has(dependency)) continue;
      found.add(dependency);
      visit(dependency);
    }
  };
  visit(role);
  return found;
}

/** True when following dependencies from some agent leads back to it. */
function hasCycle(agents: readonly TemplateAgent[]): boolean {
  return agents.some((agent) => prerequisites(agents, agent.role).has(agent.role));
}

const cases = builtInTemplates.map((template) => [template.name, template] as const);

describe('built-in templates', () => {
  it.each(cases)('%s is a valid template with a valid, acyclic dependency graph', (_name, template) => {
    const parsed = swarmTemplateSchema.safeParse(template);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const roles = new Set(template.agents.map((agent) => agent.role));
    for (const agent of template.agents) {
      for (const dependency of agent.depends_on ?? []) {
        expect(roles.has(dependency), `${agent.role} → ${dependency}`).toBe(true);
        expect(dependency, agent.role).not.toBe(agent.role);
      }
    }
    expect(hasCycle(template.agents)).toBe(false);
  });

  it.each(cases)(
    '%s: the agent that merges the others’ work comes last and depends on every other agent',
    (_name, template) => {
      const merging = template.agents.filter((agent) => mergingRole.test(agent.role));
      expect(merging.length).toBeLessThanOrEqual(1);
      const [final] = merging;
      if (final === undefined) return;
      expect(template.agents.at(-1)).toBe(final);
      const others = template.agents.filter((agent) => agent !== final).map((agent) => agent.role);
      expect([...prerequisites(template.agents, final.role)].sort()).toEqual(others.sort());
    },
  );

  it('have a final merging agent where they write a report from the others’ findings', () => {
    const withMergingAgent = builtInTemplates
      .filter((template) => mergingRole.test(template.agents.at(-1)?.role ?? ''))
      .map((template) => template.name);
    expect(withMergingAgent).toEqual(['research-report', 'security-audit']);
    const audit = builtInTemplates.find((template) => template.name === 'security-audit');
    expect(audit?.agents.at(-1)).toMatchObject({
      role: 'report-writer',
      depends_on: ['threat-modeler', 'dependency-reviewer', 'code-reviewer'],
    });
  });
});
