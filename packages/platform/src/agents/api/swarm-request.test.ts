import { describe, expect, it } from 'vitest';
import { defaultPlan } from '../runtime/swarm-plan.ts';
import { findBuiltInTemplate } from '../templates/index.ts';
import type { SwarmTemplate, Tool, ToolResolver } from '../tool-contract.ts';
import { type CreateSwarmRequest, type SwarmLimits, specifyRun } from './swarm-request.ts';

/** Any tool name resolves to a tool with a valid object schema: only the agents matter here. */
const tools: ToolResolver = {
  async resolve(_organizationId, names) {
    return names.map(
      (name): Tool => ({
        definition: { name, description: name, parameters: { type: 'object', properties: {} } },
        async execute() {
          return { ok: true, output: '' };
        },
      }),
    );
  },
};

const limits: SwarmLimits = { defaultModel: 'sim/fast', maximumAgents: 50, defaultTimeoutSeconds: 60 };

function specify(request: CreateSwarmRequest, templates: Record<string, SwarmTemplate> = {}) {
  return specifyRun(
    'org_test',
    request,
    {
      tools,
      templates: {
        async resolve(_organizationId, name) {
          return templates[name] ?? findBuiltInTemplate(name);
        },
      },
    },
    limits,
  );
}

describe('specifyRun', () => {
  it("keeps a template's dependencies, so the security audit's report waits for the reviewers", async () => {
    const specification = await specify({ task: 'Audit the service', template: 'security-audit' });
    const plan = defaultPlan('Audit the service', specification.agents);
    expect(plan.subtasks.map((subtask) => [subtask.id, subtask.depends_on])).toEqual([
      ['threat-modeler', []],
      ['dependency-reviewer', []],
      ['code-reviewer', []],
      ['report-writer', ['threat-modeler', 'dependency-reviewer', 'code-reviewer']],
    ]);
  });
});
