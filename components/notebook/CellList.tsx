'use client';
/** The cells in document order, each followed by the "add cell" slots of the blocks it closes. */
import { useMemo } from 'react';
import type { CellDto, FlowIssue } from '@/lib/contract';
import { Empty } from '@/components/ui/States';
import { AddCell } from './AddCell';
import { CellCard } from './CellCard';
import type { CellActions, CellMessage, CellWithRun } from './types';

/**
 * The cells whose block ends at index i (the cell itself when it has no children, and the
 * parents it closes), innermost first: "add after X" goes below X's last nested cell.
 */
function closingAt(cells: readonly CellWithRun[], i: number): CellDto[] {
  const nextDepth = cells[i + 1]?.cell.depth ?? 0;
  const out: CellDto[] = [];
  // In document order the first shallower cell walking back is the parent.
  let depth = Infinity;
  for (let j = i; j >= 0 && depth > nextDepth; j--) {
    const c = cells[j].cell;
    if (c.depth >= depth) continue;
    if (c.depth < nextDepth) break;
    out.push(c);
    depth = c.depth;
  }
  return out;
}

export function CellList({
  notebookId,
  canInsert,
  cells,
  messages,
  issues,
  actions,
  registerFocus,
  onInserted,
}: {
  notebookId: string;
  /** Cells can be added only to a flow that reads. */
  canInsert: boolean;
  cells: readonly CellWithRun[];
  messages: Readonly<Record<string, CellMessage>>;
  /** The notebook's flow issues; each cell shows those about it. */
  issues: readonly FlowIssue[];
  actions: CellActions;
  registerFocus: (taskId: string, el: HTMLElement | null) => void;
  onInserted: (taskId: string) => void;
}) {
  // One list per cell, kept while the issues stay the same, so memoized cells stay put.
  const byTask = useMemo(() => {
    const out = new Map<string, FlowIssue[]>();
    for (const issue of issues) {
      if (issue.taskId === undefined) continue;
      const list = out.get(issue.taskId);
      if (list) list.push(issue);
      else out.set(issue.taskId, [issue]);
    }
    return out;
  }, [issues]);
  return (
    <>
      {canInsert && <AddCell notebookId={notebookId} afterTaskId={null} depth={0} onInserted={onInserted} />}
      {cells.length === 0 ? (
        <Empty>This flow has no tasks yet.</Empty>
      ) : (
        cells.map(({ cell, run }, i) => (
          <div key={cell.taskId}>
            <CellCard notebookId={notebookId} cell={cell} run={run} message={messages[cell.taskId]} issues={byTask.get(cell.taskId)} actions={actions} registerFocus={registerFocus} />
            {canInsert &&
              closingAt(cells, i).map((c) => <AddCell key={`add-${c.taskId}`} notebookId={notebookId} afterTaskId={c.taskId} depth={c.depth} onInserted={onInserted} />)}
          </div>
        ))
      )}
    </>
  );
}
