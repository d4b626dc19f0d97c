import { describe, expect, it } from 'vitest';
import { type DecomposedSubtask, decomposeTask, parseComparison } from './decompose-task.ts';

const graph = (subtasks: DecomposedSubtask[]) =>
  subtasks.map((subtask) => [subtask.id, subtask.role, subtask.dependsOn]);

/** Every id the subtask waits for, directly or through others. */
function prerequisites(subtasks: DecomposedSubtask[], id: string): string[] {
  const byId = new Map(subtasks.map((subtask) => [subtask.id, subtask]));
  const found = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of byId.get(current)?.dependsOn ?? []) {
      if (!found.has(dependency)) {
        found.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(id);
  return [...found].sort();
}

describe('decomposeTask', () => {
  it('splits a comparison into one researcher per subject, an analyst and a writer', () => {
    const subtasks = decomposeTask('Compare PostgreSQL and MongoDB for a multi-tenant SaaS', 10);
    expect(graph(subtasks)).toEqual([
      ['research-postgresql', 'researcher', []],
      ['research-mongodb', 'researcher', []],
      ['compare', 'analyst', ['research-postgresql', 'research-mongodb']],
      ['recommend', 'writer', ['compare']],
    ]);
    expect(subtasks[0]?.instructions).toContain('PostgreSQL for a multi-tenant SaaS');
    expect(subtasks[2]?.instructions).toContain('PostgreSQL and MongoDB');
  });

  it('reads the usual ways of asking for a comparison', () => {
    const cases: Array<[string, string[], string]> = [
      [
        'Compare PostgreSQL and MongoDB for a multi-tenant SaaS',
        ['PostgreSQL', 'MongoDB'],
        'for a multi-tenant SaaS',
      ],
      ['Rust vs Go for web and mobile services?', ['Rust', 'Go'], 'for web and mobile services'],
      ['Should a startup use Kafka versus RabbitMQ', ['Kafka', 'RabbitMQ'], ''],
      ['Compare React, Vue and Svelte', ['React', 'Vue', 'Svelte'], ''],
      ['Compare Redis with Memcached', ['Redis', 'Memcached'], ''],
      ['What is the difference between TCP and UDP?', ['TCP', 'UDP'], ''],
    ];
    for (const [task, subjects, context] of cases) {
      expect(parseComparison(task), task).toEqual({ subjects, context });
    }
    expect(parseComparison('Write a short report on solar power')).toBeNull();
    expect(parseComparison('Compare notes')).toBeNull();
  });

  it('gives any other task two to four research aspects and a synthesiser that waits for all', () => {
    for (const task of [
      'Summarise the history of computing',
      'Explain how to reduce the carbon footprint of a data centre',
      'Write a detailed guide for a small team that wants to adopt continuous delivery, covering tooling, culture, risks and the first three months',
    ]) {
      const subtasks = decomposeTask(task, 10);
      expect(subtasks.length, task).toBeGreaterThanOrEqual(3);
      expect(subtasks.length, task).toBeLessThanOrEqual(5);
      const final = subtasks.at(-1)!;
      expect(final.role).toBe('synthesiser');
      expect(prerequisites(subtasks, final.id)).toEqual(
        subtasks
          .slice(0, -1)
          .map((subtask) => subtask.id)
          .sort(),
      );
      expect(subtasks.slice(0, -1).every((subtask) => subtask.role === 'researcher')).toBe(true);
    }
    const practical = decomposeTask('Explain how to reduce the carbon footprint of a data centre', 10);
    expect(practical.map((subtask) => subtask.id)).toContain('research-practices');
  });

  it('is the same plan for the same task, with ids a plan accepts', () => {
    const task = 'Compare Python, Java and Go for data pipelines';
    expect(decomposeTask(task, 10)).toEqual(decomposeTask(task, 10));
    for (const subtask of decomposeTask(task, 10)) {
      expect(subtask.id).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/);
      expect(subtask.instructions.length).toBeGreaterThan(0);
    }
  });

  it('keeps within the number of subtasks allowed', () => {
    const task = 'Compare PostgreSQL and MongoDB for a multi-tenant SaaS';
    expect(graph(decomposeTask(task, 3))).toEqual([
      ['research-postgresql', 'researcher', []],
      ['research-mongodb', 'researcher', []],
      ['compare', 'analyst', ['research-postgresql', 'research-mongodb']],
    ]);
    expect(decomposeTask(task, 2).map((subtask) => subtask.role)).toEqual(['researcher', 'synthesiser']);
    expect(graph(decomposeTask(task, 1))).toEqual([['answer', 'writer', []]]);
    expect(decomposeTask('Compare A, B, C, D, E and F', 100).length).toBeLessThanOrEqual(5);
  });
});
