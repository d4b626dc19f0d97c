import { FirstInFirstOut } from './first-in-first-out.ts';

/**
 * The jobs of one queue that are ready to run, in BullMQ's order: jobs without a priority first,
 * then by ascending priority number, each group first in, first out.
 */
export class WaitingJobs<Item> {
  #unprioritized = new FirstInFirstOut<Item>();
  #byPriority = new Map<number, FirstInFirstOut<Item>>();
  /** The priorities that hold jobs, ascending. */
  #priorities: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: Item, priority: number | undefined): void {
    this.#size += 1;
    if (priority === undefined) {
      this.#unprioritized.push(item);
      return;
    }
    let group = this.#byPriority.get(priority);
    if (group === undefined) {
      group = new FirstInFirstOut();
      this.#byPriority.set(priority, group);
      const at = this.#priorities.findIndex((existing) => existing > priority);
      this.#priorities.splice(at === -1 ? this.#priorities.length : at, 0, priority);
    }
    group.push(item);
  }

  shift(): Item | undefined {
    if (this.#size === 0) return undefined;
    this.#size -= 1;
    if (this.#unprioritized.size > 0) return this.#unprioritized.shift();
    const priority = this.#priorities[0]!;
    const group = this.#byPriority.get(priority)!;
    const item = group.shift();
    if (group.size === 0) {
      this.#byPriority.delete(priority);
      this.#priorities.shift();
    }
    return item;
  }

  /** The smallest `measure` among the first item of each group (each group is in arrival order). */
  earliest(measure: (item: Item) => number): number | null {
    const heads = [
      this.#unprioritized.peek(),
      ...[...this.#byPriority.values()].map((group) => group.peek()),
    ];
    let earliest: number | null = null;
    for (const head of heads) {
      if (head === undefined) continue;
      const value = measure(head);
      if (earliest === null || value < earliest) earliest = value;
    }
    return earliest;
  }

  clear(): void {
    this.#unprioritized.clear();
    this.#byPriority.clear();
    this.#priorities = [];
    this.#size = 0;
  }
}
