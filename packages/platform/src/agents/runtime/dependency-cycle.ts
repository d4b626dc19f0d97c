/** Something that waits for others: a planned subtask, an agent of a request or a template. */
export interface DependencyNode {
  id: string;
  dependsOn: readonly string[];
}

/**
 * A dependency cycle as the ids along it, first id repeated at the end (`a → b → a`), or null
 * when the graph is acyclic. Dependencies on ids that are not nodes are ignored here: callers
 * report those on their own.
 */
export function findDependencyCycle(nodes: readonly DependencyNode[]): string[] | null {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dependency of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dependency)) continue;
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const node of nodes) {
    const cycle = visit(node.id);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * Where to report a cycle: the index of its member declared last (with it the cycle became
 * complete), and the cycle told from that member (`b → a → b`: b waits for a, which waits for b).
 */
export function describeCycle(
  nodes: readonly DependencyNode[],
  cycle: readonly string[],
): { index: number; path: string } {
  const members = new Set(cycle);
  const index = nodes.reduce((last, node, position) => (members.has(node.id) ? position : last), -1);
  const ring = cycle.slice(0, -1);
  const start = Math.max(0, ring.indexOf(nodes[index]?.id ?? ''));
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  return { index, path: [...rotated, rotated[0]].join(' → ') };
}
