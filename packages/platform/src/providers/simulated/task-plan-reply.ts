import type { JsonSchema } from '../../model/index.ts';
import { type DecomposedSubtask, decomposeTask, type SubtaskRole } from './decompose-task.ts';
import { asSchema, flattenSchema } from './merge-json-schemas.ts';
import { schemaAccepts } from './schema-validation.ts';

/** What the simulated planner needs to know of a schema that asks for a plan of subtasks. */
interface TaskPlanShape {
  /** The property holding the list of subtasks, e.g. `subtasks`. */
  listProperty: string;
  minimumItems: number;
  maximumItems: number;
  /** Whether subtasks carry a role, and the roles allowed (null: any). */
  hasRole: boolean;
  roles: string[] | null;
}

const subtaskFields = new Set(['id', 'role', 'instructions', 'depends_on']);

/**
 * The shape of a plan schema: an object whose one required member is a list of subtasks with
 * an `id`, `instructions` and `depends_on` (ids of other subtasks), and optionally a `role`.
 * Undefined for any other schema, which the ordinary sampler answers.
 */
export function taskPlanShape(schema: JsonSchema): TaskPlanShape | undefined {
  const root = flattenSchema(schema, schema);
  for (const [name, member] of Object.entries(root.properties ?? {})) {
    const list = flattenSchema(schema, asSchema(member));
    if (list.type !== 'array') continue;
    const item = flattenSchema(schema, asSchema(list.items));
    const fields = item.properties ?? {};
    if (!['id', 'instructions', 'depends_on'].every((field) => Object.hasOwn(fields, field))) continue;
    const fillable =
      (root.required ?? []).every((field) => field === name) &&
      (item.required ?? []).every((field) => subtaskFields.has(field));
    if (!fillable) return undefined;
    const role = flattenSchema(schema, asSchema(fields.role));
    return {
      listProperty: name,
      minimumItems: typeof list.minItems === 'number' ? list.minItems : 0,
      maximumItems: typeof list.maxItems === 'number' ? list.maxItems : Number.POSITIVE_INFINITY,
      hasRole: Object.hasOwn(fields, 'role'),
      roles: Array.isArray(role.enum)
        ? role.enum.filter((value): value is string => typeof value === 'string')
        : null,
    };
  }
  return undefined;
}

/** Keywords by which a role a caller offers is recognised as one the planner wants. */
const roleKeywords: Record<SubtaskRole, RegExp> = {
  researcher: /research|investigat|analy/i,
  analyst: /analy|compar|review/i,
  writer: /writ|report|author|editor|synthes/i,
  synthesiser: /synthes|writ|report|editor|summar/i,
};

/** The role to give a subtask: the planner's own, or the closest one the caller allows. */
function roleFor(subtask: DecomposedSubtask, allowed: readonly string[] | null, last: boolean): string {
  if (allowed === null || allowed.length === 0) return subtask.role;
  const matching = allowed.find((role) => roleKeywords[subtask.role].test(role));
  if (matching !== undefined) return matching;
  return last ? (allowed.at(-1) ?? subtask.role) : (allowed[0] ?? subtask.role);
}

/**
 * The simulated planner's answer to a plan schema: a decomposition of the task into subtasks
 * with roles and dependencies (see decomposeTask), in the schema's own field names. Undefined
 * when the schema is not a plan schema or the plan would not be valid against it.
 */
export function taskPlanReply(schema: JsonSchema, task: string): Record<string, unknown> | undefined {
  const shape = taskPlanShape(schema);
  if (shape === undefined || task.length === 0) return undefined;
  const subtasks = decomposeTask(task, shape.maximumItems);
  if (subtasks.length < shape.minimumItems) return undefined;
  const items = subtasks.map((subtask, index) => ({
    id: subtask.id,
    ...(shape.hasRole ? { role: roleFor(subtask, shape.roles, index === subtasks.length - 1) } : {}),
    instructions: subtask.instructions,
    depends_on: subtask.dependsOn,
  }));
  const plan = Object.fromEntries([[shape.listProperty, items]]);
  return schemaAccepts(schema, plan) === true ? plan : undefined;
}
