'use client';
/**
 * What a class sees while the teacher presents: the teacher's cell as the same full-screen
 * slide, with the live run's logs and results under the code, and the strip of cells.
 */
import type { CellDto, TaskRun } from '@/lib/contract';
import type { useExecutionLive } from '@/lib/client/realtime';
import { cellResults } from '@/lib/client/results';
import { LogView } from '@/components/notebook/LogView';
import { ResultsPanel } from '@/components/notebook/ResultsPanel';
import { ProgressStrip, Slide } from './Slide';

type Live = ReturnType<typeof useExecutionLive>;

/** The latest task run of each cell in the followed execution. */
function runsByTask(live: Live['live']): Map<string, TaskRun> {
  const out = new Map<string, TaskRun>();
  for (const t of live?.taskRuns.values() ?? []) out.set(t.taskId, t);
  return out;
}

export function FollowSlide({ cells, taskId, notebookId, executionId, live, version }: { cells: CellDto[]; taskId: string; notebookId: string; executionId?: string } & Live) {
  const runs = runsByTask(live);
  const index = Math.max(0, cells.findIndex((c) => c.taskId === taskId));
  const cell = cells[index];
  if (!cell) return null;
  const run = runs.get(cell.taskId);
  const logs = live?.logs.byTask.get(cell.taskId) ?? [];
  const results = run?.outputs ? cellResults(run.outputs, cell.editor?.language === 'sql' ? cell.editor.code : undefined) : [];
  return (
    <div className="surface fixed inset-0 z-40 flex flex-col" data-testid="follow-presentation" data-task-id={cell.taskId}>
      <header className="border-theme text-muted border-b px-6 py-2 text-sm">Following the teacher&apos;s presentation · read-only</header>
      <main className="min-h-0 flex-1 overflow-auto px-8 py-8">
        <Slide cell={cell} state={run?.state} index={index} count={cells.length}>
          {run && (
            <section className="surface rounded-lg border text-base" data-testid="follow-slide-logs">
              <LogView lines={logs} version={version} live={!live?.finished} />
            </section>
          )}
          {run && executionId && results.length > 0 && <ResultsPanel notebookId={notebookId} taskId={cell.taskId} executionId={executionId} results={results} />}
        </Slide>
      </main>
      <footer className="border-theme border-t px-6 py-3">
        <ProgressStrip cells={cells.map((c) => ({ taskId: c.taskId, state: runs.get(c.taskId)?.state }))} current={index} />
      </footer>
    </div>
  );
}
