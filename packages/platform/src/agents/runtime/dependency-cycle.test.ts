import { describe, expect, it } from 'vitest';
import { describeCycle, findDependencyCycle } from './dependency-cycle.ts';

const node = (id: string, dependsOn: string[] = []) => ({ id, dependsOn });

describe('dependency cycles', () => {
  it('are found along the dependencies, and acyclic graphs (unknown ids aside) have none', () => {
    expect(findDependencyCycle([node('a'), node('b', ['a']), node('c', ['a', 'b', 'ghost'])])).toBeNull();
    expect(findDependencyCycle([node('a', ['b']), node('b', ['a'])])).toEqual(['a', 'b', 'a']);
    expect(findDependencyCycle([node('solo', ['solo'])])).toEqual(['solo', 'solo']);
  });

  it('are reported at the member declared last, told from it', () => {
    const nodes = [
      node('researcher'),
      node('analyst', ['researcher', 'writer']),
      node('editor', ['analyst']),
      node('writer', ['editor']),
    ];
    const cycle = findDependencyCycle(nodes);
    expect(cycle).toEqual(['analyst', 'writer', 'editor', 'analyst']);
    expect(describeCycle(nodes, cycle ?? [])).toEqual({
      index: 3,
      path: 'writer → editor → analyst → writer',
    });
  });
});
