/**
 * When is a cell's result out of date? Pure rules, no I/O:
 * - its definition changed since it ran (hash of the task's YAML then vs now);
 * - flow-level parts it uses (inputs, variables, pluginDefaults) changed since it ran;
 * - an earlier cell's latest run ended after this cell's latest run started, so this
 *   cell's result was built from outputs that no longer hold.
 */
export interface CellRunFacts {
  startDate?: string;
  endDate?: string;
  /** Hashes recorded when the cell ran; absent for runs recorded without them. */
  sourceHash?: string;
  contextHash?: string;
}

export interface CellFacts {
  taskId: string;
  /** Parents of nested cells: a parent ends after its children by nature, so never counts. */
  ancestorIds: readonly string[];
  sourceHash: string;
  contextHash: string;
  run?: CellRunFacts;
}

export type Staleness =
  | { stale: false }
  | { stale: true; reason: string };

/** `cells` in document order; returns one verdict per task id. */
export function computeStaleness(cells: readonly CellFacts[]): Map<string, Staleness> {
  const out = new Map<string, Staleness>();
  const earlier: CellFacts[] = [];
  for (const cell of cells) {
    out.set(cell.taskId, verdict(cell, earlier));
    earlier.push(cell);
  }
  return out;
}

function verdict(cell: CellFacts, earlier: readonly CellFacts[]): Staleness {
  const run = cell.run;
  if (!run) return { stale: false };
  if (run.sourceHash !== undefined && run.sourceHash !== cell.sourceHash) {
    return { stale: true, reason: 'the cell changed since it last ran' };
  }
  if (run.contextHash !== undefined && run.contextHash !== cell.contextHash) {
    return { stale: true, reason: 'flow inputs, variables or plugin defaults it uses changed since it last ran' };
  }
  const ranAt = time(run.startDate) ?? time(run.endDate);
  if (ranAt === undefined) return { stale: false };
  for (const before of earlier) {
    if (cell.ancestorIds.includes(before.taskId)) continue;
    const ended = time(before.run?.endDate);
    if (ended !== undefined && ended > ranAt) {
      return { stale: true, reason: `cell "${before.taskId}" ran again after this one` };
    }
  }
  return { stale: false };
}

function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}
