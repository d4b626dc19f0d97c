import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { RunSpecification } from '../swarm-types.ts';
import { checkPlan, defaultPlan, planJsonSchema, planProblem } from './swarm-plan.ts';

const specification: RunSpecification = {
  agents: [
    { role: 'Researcher', instructions: 'Find facts.', tools: [], dependsOn: [] },
    { role: 'Writer', instructions: 'Write.', tools: [], dependsOn: ['Researcher'] },
  ],
  model: 'sim/fast',
  maxAgents: 3,
  maxParallel: 2,
  maxIterations: 4,
  maxOutputTokens: 256,
};

const subtask = (id: string, dependsOn: string[] = [], role = 'Writer') => ({
  id,
  role,
  instructions: 'Do it.',
  depends_on: dependsOn,
});

describe('swarm plans', () => {
  it('start from one subtask per role with the declared dependencies, offered as the schema example', () => {
    const plan = defaultPlan('task', specification.agents);
    expect(plan.subtasks.map((item) => [item.id, item.depends_on])).toEqual([
      ['researcher', []],
      ['writer', ['researcher']],
    ]);
    expect(planProblem(plan, specification)).toBeNull();
    expect((planJsonSchema('task', specification).examples as unknown[])[0]).toEqual(plan);
  });

  it('offer an example only when it is a valid plan: none for a run given only a task', () => {
    const ajv = new Ajv({ strict: false });
    const schema = planJsonSchema('task', specification);
    expect(ajv.validate(schema, (schema.examples as unknown[])[0]), ajv.errorsText()).toBe(true);
    const taskOnly = planJsonSchema('Compare PostgreSQL and MongoDB', { ...specification, agents: [] });
    expect(taskOnly.examples).toBeUndefined();
    expect(planProblem(defaultPlan('task', []), { ...specification, agents: [] })).toMatch(/no subtasks/);
  });

  it('name what makes a plan unrunnable', () => {
    expect(planProblem('nope', specification)).toMatch(/subtasks/);
    expect(planProblem({ subtasks: [] }, specification)).toMatch(/no subtasks/);
    expect(
      planProblem({ subtasks: [subtask('a'), subtask('b'), subtask('c'), subtask('d')] }, specification),
    ).toMatch(/max_agents/);
    expect(planProblem({ subtasks: [subtask('a'), subtask('a')] }, specification)).toMatch(/used twice/);
    expect(planProblem({ subtasks: [subtask('a', [], 'Painter')] }, specification)).toMatch(/Painter/);
    expect(planProblem({ subtasks: [subtask('a', ['z'])] }, specification)).toMatch(/'z'/);
    expect(planProblem({ subtasks: [subtask('a', ['b']), subtask('b', ['a'])] }, specification)).toMatch(
      /cycle/,
    );
  });

  it('keep the dependencies the roles declare, whatever the planner wrote', () => {
    const planned = {
      subtasks: [
        subtask('facts-a', [], 'Researcher'),
        subtask('facts-b', [], 'Researcher'),
        subtask('report', [], 'Writer'),
      ],
    };
    const checked = checkPlan(planned, specification);
    expect(checked.problem).toBeNull();
    expect(checked.plan?.subtasks.map((item) => [item.id, item.depends_on])).toEqual([
      ['facts-a', []],
      ['facts-b', []],
      ['report', ['facts-a', 'facts-b']],
    ]);
    const backwards = {
      subtasks: [subtask('facts', ['report'], 'Researcher'), subtask('report', [], 'Writer')],
    };
    expect(checkPlan(backwards, specification).problem).toMatch(/declare.*cycle: facts → report → facts/);
  });
});
