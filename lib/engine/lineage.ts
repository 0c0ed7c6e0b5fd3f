/**
 * Where a task run sits among the flowable task runs above it, and the three things Kestra
 * derives from that place (Execution.java `parents`, `outputs`; RunVariables.java `tasks`):
 *
 * - `parents`: the enclosing task runs, closest first, keeping only those with a loop value or
 *   outputs, so inside two nested ForEach `parents[0].taskrun.value` is the enclosing loop's value;
 * - where outputs are stored: under the task id, then under the value of every enclosing task
 *   run that has one (outermost first), then the task run's own value, so after nested loops
 *   `outputs['t'].s1['a a']` reads one iteration's outputs;
 * - `tasks.<id>.state`, keyed by the task run's own value when it has one.
 */
import type { RawTask } from '../tasks/types';
import type { TaskRun } from './events';
import type { State } from '../model/states';

export interface Ancestor {
  readonly task: RawTask;
  readonly taskRun: TaskRun;
}

export interface Lineage {
  /** Enclosing flowable task runs, closest first. */
  readonly ancestors: readonly Ancestor[];
  /** The working directory every task inside a WorkingDirectory shares. */
  workingDir?: string;
  /**
   * Inside a WorkingDirectory, Kestra's worker renders the tasks with the WorkingDirectory's
   * task run as `taskrun` (so `taskrun.value` is its loop value) and their own as `workerTaskrun`.
   */
  workerParent?: TaskRun;
}

export const ROOT: Lineage = { ancestors: [] };

export function childLineage(parent: Lineage, task: RawTask, taskRun: TaskRun): Lineage {
  return { ancestors: [{ task, taskRun }, ...parent.ancestors], workingDir: parent.workingDir };
}

function hasOutputs(outputs: Record<string, unknown> | undefined): outputs is Record<string, unknown> {
  return outputs !== undefined && Object.keys(outputs).length > 0;
}

/** Kestra's `parents` variable: `[{ taskrun: { value }, outputs }]`, closest parent first. */
export function parentsOf(lineage: Lineage): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const { taskRun } of lineage.ancestors) {
    const entry: Record<string, unknown> = {};
    if (taskRun.value !== undefined) entry.taskrun = { value: taskRun.value };
    if (hasOutputs(taskRun.outputs)) entry.outputs = taskRun.outputs;
    if (Object.keys(entry).length > 0) out.push(entry);
  }
  return out;
}

/** The keys a task run's outputs are stored under, below its task id: enclosing values outermost first, then its own. */
export function outputKeys(lineage: Lineage, taskRun: Pick<TaskRun, 'value'>): string[] {
  const keys = lineage.ancestors.flatMap(({ taskRun: t }) => (t.value === undefined ? [] : [t.value])).reverse();
  if (taskRun.value !== undefined) keys.push(taskRun.value);
  return keys;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stores outputs at `byTask[taskId][...keys]`, keeping what other iterations stored beside them. */
export function storeOutputs(byTask: Record<string, Record<string, unknown>>, taskId: string, keys: readonly string[], outputs: Record<string, unknown>): void {
  if (keys.length === 0) {
    byTask[taskId] = outputs;
    return;
  }
  let node: Record<string, unknown> = (byTask[taskId] ??= {});
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = isMap(next) ? next : (node[key] = {});
  }
  node[keys[keys.length - 1]] = outputs;
}

/** Records a task run's state in the `tasks` variable. */
export function storeTaskState(tasks: Record<string, Record<string, unknown>>, taskRun: Pick<TaskRun, 'taskId' | 'value'>, state: State): void {
  if (taskRun.value === undefined) {
    tasks[taskRun.taskId] = { state };
    return;
  }
  const byValue = tasks[taskRun.taskId] ?? {};
  byValue[taskRun.value] = { state };
  tasks[taskRun.taskId] = byValue;
}
