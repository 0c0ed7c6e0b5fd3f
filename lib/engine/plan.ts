/**
 * Which tasks a run executes (run modes of the notebook) and whether every output they
 * reference exists, so "run cell" can say which cell to run first instead of failing deep
 * inside a template.
 */
import type { FlowSpec } from '../flow';
import { outputReferences, walkTasks } from '../flow';
import type { RawTask } from '../tasks/types';

export type RunMode =
  | { kind: 'all' }
  | { kind: 'cell'; taskId: string }
  | { kind: 'from'; taskId: string }
  | { kind: 'upTo'; taskId: string };

export class MissingUpstreamError extends Error {
  constructor(
    readonly taskId: string,
    readonly missingTaskId: string,
  ) {
    super(`cell ${taskId} uses outputs of ${missingTaskId}, which has not run yet: run cell ${missingTaskId} first`);
    this.name = 'MissingUpstreamError';
  }
}

export class UnknownTaskError extends Error {
  constructor(readonly taskId: string) {
    super(`there is no task with id "${taskId}" in this flow`);
    this.name = 'UnknownTaskError';
  }
}

export interface RunPlan {
  /** Top-level task lists to run, in order; for a nested cell this is the nested task alone. */
  tasks: RawTask[];
  /** Whether errors/finally blocks belong to this run (only when the whole flow runs). */
  wholeFlow: boolean;
}

export function planRun(flow: FlowSpec, mode: RunMode): RunPlan {
  if (mode.kind === 'all') return { tasks: flow.tasks, wholeFlow: true };
  const entries = walkTasks(flow);
  const target = entries.find((e) => e.task.id === mode.taskId);
  if (!target) throw new UnknownTaskError(mode.taskId);
  const topIndex = topLevelIndex(flow, mode.taskId);
  switch (mode.kind) {
    case 'cell':
      return { tasks: [target.task], wholeFlow: false };
    case 'from':
      return { tasks: topIndex >= 0 ? flow.tasks.slice(topIndex) : [target.task], wholeFlow: false };
    case 'upTo':
      return { tasks: topIndex >= 0 ? flow.tasks.slice(0, topIndex + 1) : flow.tasks, wholeFlow: false };
  }
}

/** Index of the top-level task that is, or contains, taskId. */
function topLevelIndex(flow: FlowSpec, taskId: string): number {
  return flow.tasks.findIndex((top) => collectIds(top).has(taskId));
}

function collectIds(task: RawTask): Set<string> {
  const ids = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const rec = node as Record<string, unknown>;
      if (typeof rec.id === 'string' && typeof rec.type === 'string') ids.add(rec.id);
      Object.values(rec).forEach(visit);
    }
  };
  visit(task);
  return ids;
}

/**
 * Throws MissingUpstreamError when a planned task references outputs of a task that
 * neither runs earlier in this plan nor has outputs from an earlier run.
 */
export function checkUpstream(flow: FlowSpec, plan: RunPlan, available: ReadonlySet<string>): void {
  const allIds = new Set(walkTasks(flow).map((e) => e.task.id));
  const willHave = new Set(available);
  for (const top of plan.tasks) {
    const inThis = collectIds(top);
    for (const entry of walkTasks({ ...flow, tasks: [top], errors: [], finally: [] })) {
      for (const ref of outputReferences(entry.task, flow.variables)) {
        if (!allIds.has(ref.taskId) || willHave.has(ref.taskId) || inThis.has(ref.taskId)) continue;
        throw new MissingUpstreamError(entry.task.id, ref.taskId);
      }
    }
    inThis.forEach((id) => willHave.add(id));
  }
}
