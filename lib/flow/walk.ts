/** Visiting every task of a flow, nested ones included, in document order. */
import { childListsOf } from './children';
import type { FlowSpec, RawTask, TaskLocation, YamlPath } from './types';

/** The flow's own task lists, in the order Kestra runs them. */
export const FLOW_TASK_LISTS = ['tasks', 'errors', 'finally', 'afterExecution'] as const;

export interface RawTaskEntry {
  /** The item as written: usually a map, but validation must also see what is not. */
  value: unknown;
  path: YamlPath;
  parentId?: string;
  branch?: string;
  depth: number;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRawTask(value: unknown): value is RawTask {
  return isRecord(value) && typeof value.id === 'string' && typeof value.type === 'string';
}

function* entriesOf(items: unknown[], base: YamlPath, depth: number, parentId?: string, branch?: string, itemPaths?: YamlPath[]): Generator<RawTaskEntry> {
  for (let i = 0; i < items.length; i++) {
    const value = items[i];
    const path = [...base, ...(itemPaths?.[i] ?? [i])];
    yield { value, path, parentId, branch, depth };
    if (!isRecord(value)) continue;
    const id = typeof value.id === 'string' ? value.id : undefined;
    for (const list of childListsOf(value)) {
      yield* entriesOf(list.items, [...path, ...list.path], depth + 1, id, list.branch, list.itemPaths);
    }
  }
}

/** Every task item under a flow's (raw) root map, whatever its shape. */
export function* rawTaskEntries(root: Record<string, unknown>): Generator<RawTaskEntry> {
  for (const list of FLOW_TASK_LISTS) {
    const items = root[list];
    if (Array.isArray(items)) yield* entriesOf(items, [list], 0, undefined, list === 'tasks' ? undefined : list);
  }
}

/** Every task of the flow in document order, nested tasks right after their parent. */
export function walkTasks(flow: FlowSpec): TaskLocation[] {
  const out: TaskLocation[] = [];
  const root = { tasks: flow.tasks, errors: flow.errors, finally: flow.finally };
  for (const entry of rawTaskEntries(root)) {
    if (!isRawTask(entry.value)) continue;
    out.push({ task: entry.value, path: entry.path, parentId: entry.parentId, branch: entry.branch, depth: entry.depth });
  }
  return out;
}
