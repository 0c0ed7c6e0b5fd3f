/**
 * What earlier executions of a notebook left behind: each cell's latest run (for the
 * cell's status and staleness) and each task's latest successful outputs (seeds for
 * running one cell on its own).
 */
import type { Db } from '../db/client';
import { isSuccessful, type State } from '../model/states';
import type { LatestRun } from './cells';
import { parseJson, taskRunDto } from '../persistence/rows';

async function runsNewestFirst(db: Db, notebookId: string) {
  return db.taskRun.findMany({
    where: { execution: { notebookId } },
    orderBy: [{ execution: { startDate: 'desc' } }, { ord: 'desc' }],
    include: { execution: { select: { startDate: true } } },
  });
}

export async function latestRunsByTask(db: Db, notebookId: string): Promise<Map<string, LatestRun>> {
  const out = new Map<string, LatestRun>();
  for (const r of await runsNewestFirst(db, notebookId)) {
    // Iterations of a ForEach share a task id: the newest one stands for the cell.
    if (out.has(r.taskId)) continue;
    out.set(r.taskId, { taskRun: taskRunDto(r), sourceHash: r.sourceHash ?? undefined, contextHash: r.contextHash ?? undefined });
  }
  return out;
}

/**
 * Latest successful outputs per task id. Runs of one task inside a ForEach are keyed by
 * their value, as Kestra exposes them (`outputs.task[value]`).
 */
export async function seedOutputs(db: Db, notebookId: string): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  const seenExecution = new Map<string, string>();
  for (const r of await runsNewestFirst(db, notebookId)) {
    if (!isSuccessful(r.state as State) || r.state === 'SKIPPED') continue;
    const outputs = parseJson<Record<string, unknown>>(r.outputs, {});
    const from = seenExecution.get(r.taskId);
    if (from !== undefined && (from !== r.executionId || r.value === null)) continue;
    seenExecution.set(r.taskId, r.executionId);
    if (r.value === null) out[r.taskId] = outputs;
    else out[r.taskId] = { ...(out[r.taskId] ?? {}), [r.value]: outputs };
  }
  return out;
}
