/**
 * Which properties of a flowable task hold child tasks: declared once, here, as a table by
 * class name. The flow model needs it to walk, nest and edit cells without knowing which
 * task types can run, and the engine and the tasks read the same table.
 */
import type { YamlPath } from './types';

/** Child task list properties of Kestra's core flowable tasks, by class name. */
const FLOWABLE_CHILD_LISTS: Readonly<Record<string, readonly string[]>> = {
  If: ['then', 'else'],
  Switch: ['cases', 'defaults'],
  Sequential: ['tasks'],
  Parallel: ['tasks'],
  ForEach: ['tasks'],
  EachSequential: ['tasks'],
  EachParallel: ['tasks'],
  WorkingDirectory: ['tasks'],
  // `io.kestra.core.tasks.flows.Worker` is WorkingDirectory's oldest alias.
  Worker: ['tasks'],
  AllowFailure: ['tasks'],
  LoopUntil: ['tasks'],
  // WaitFor is LoopUntil's former name, still accepted as an alias.
  WaitFor: ['tasks'],
  Dag: ['tasks'],
  // ForEachItem runs internal tasks of its own (split, one subflow per batch, merge): only `errors` and `finally` are written.
  ForEachItem: [],
  // Pause is a flowable in Kestra: only its `errors` and `finally` (its `tasks` is deprecated and not run here).
  Pause: [],
};

/** Every flowable may also have its own error and finally branches. */
const FLOWABLE_HANDLERS = ['errors', 'finally'] as const;

/** `Switch` holds a map of lists under `cases`: each case is its own branch. */
const MAP_OF_LISTS = new Set(['cases']);

/**
 * Lists whose items wrap the child task under a key: a Dag's `tasks` are
 * `{ task: {…}, dependsOn: [...] }` (Kestra's `Dag.DagTask`), so each child sits at `tasks[i].task`.
 */
const WRAPPED_ITEMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Dag: { tasks: 'task' },
};

export interface ChildList {
  /** `then`, `else`, `tasks`, `defaults`, `cases.<key>`, `errors`, `finally`. */
  branch: string;
  /** Path from the task to the list. */
  path: YamlPath;
  items: unknown[];
  /** Path from the list to each item, when an item is not simply at its index (a Dag's `[i, 'task']`). */
  itemPaths?: YamlPath[];
}

function className(type: string): string | undefined {
  // Only Kestra's flow packages (`…core.flow.If`, old `…core.tasks.flows.If`): a plugin may have its own `If`.
  const match = /\.flows?\.([A-Za-z]+)$/.exec(type);
  return match?.[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child list properties of a task type, or undefined when the type is not a known flowable. */
export function childPropertiesOf(type: string): readonly string[] | undefined {
  const name = className(type);
  const own = name ? FLOWABLE_CHILD_LISTS[name] : undefined;
  return own ? [...own, ...FLOWABLE_HANDLERS] : undefined;
}

export function isFlowableType(type: string): boolean {
  return childPropertiesOf(type) !== undefined;
}

/** The child task lists present on a task (as raw values: items may be anything). */
export function childListsOf(task: Record<string, unknown>): ChildList[] {
  const type = task.type;
  if (typeof type !== 'string') return [];
  const properties = childPropertiesOf(type);
  if (!properties) return [];
  const wrapped = WRAPPED_ITEMS[className(type) ?? ''] ?? {};
  const lists: ChildList[] = [];
  for (const property of properties) {
    const value = task[property];
    const key = wrapped[property];
    if (key !== undefined && Array.isArray(value)) {
      const items = value.map((item) => (isRecord(item) ? item[key] : item));
      lists.push({ branch: property, path: [property], items, itemPaths: value.map((_, i) => [i, key]) });
    } else if (MAP_OF_LISTS.has(property) && isRecord(value)) {
      for (const [key, items] of Object.entries(value)) {
        if (Array.isArray(items)) lists.push({ branch: `${property}.${key}`, path: [property, key], items });
      }
    } else if (Array.isArray(value)) {
      lists.push({ branch: property, path: [property], items: value });
    }
  }
  return lists;
}

/** Properties holding child tasks, so a scan of a flowable's own properties can skip them. */
export function childPropertyNames(task: Record<string, unknown>): Set<string> {
  return new Set(childListsOf(task).map((list) => String(list.path[0])));
}
