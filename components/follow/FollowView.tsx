'use client';
/**
 * A class's view of the teacher's notebook (a share link): every cell with its note,
 * explanation and code, and the run the teacher started last, live: states, logs, result
 * grids and charts. It scrolls to the cell the teacher is on. It sends nothing that changes
 * anything (the server would refuse it): it only subscribes.
 */
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { CellDto, NotebookFocus } from '@/lib/contract';
import { api, errorMessage } from '@/lib/client/api';
import { useExecutionLive, useRealtime } from '@/lib/client/realtime';
import { cellResults } from '@/lib/client/results';
import { Markdown } from '@/components/ui/Markdown';
import { StateIcon } from '@/components/ui/StateIcon';
import { ErrorBox, Loading } from '@/components/ui/States';
import { LogView } from '@/components/notebook/LogView';
import { ResultsPanel } from '@/components/notebook/ResultsPanel';
import { FollowSlide } from '@/components/present/FollowSlide';

export function FollowView({ id }: { id: string }) {
  const notebook = useQuery({ queryKey: ['follow', id], queryFn: () => api.getNotebook(id) });
  const rt = useRealtime();
  const [executionId, setExecutionId] = useState<string>();
  const [focus, setFocus] = useState<NotebookFocus>();
  useEffect(() => {
    if (!rt) return;
    const subscribe = () => rt.socket.emit('notebook:subscribe', { notebookId: id });
    subscribe();
    rt.socket.on('connect', subscribe);
    const onExecution = (e: { id: string; notebookId: string }) => {
      if (e.notebookId === id) setExecutionId(e.id);
    };
    const onFocus = (f: NotebookFocus) => {
      if (f.notebookId === id) setFocus(f);
    };
    rt.socket.on('notebook:execution', onExecution);
    rt.socket.on('notebook:focus', onFocus);
    return () => {
      rt.socket.off('connect', subscribe);
      rt.socket.off('notebook:execution', onExecution);
      rt.socket.off('notebook:focus', onFocus);
    };
  }, [rt, id]);
  useEffect(() => {
    if (!focus?.taskId) return;
    document.querySelector(`[data-follow-cell="${CSS.escape(focus.taskId)}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [focus]);
  const { live, version } = useExecutionLive(executionId);
  const presented = focus?.presenting ? focus.taskId : undefined;

  if (notebook.isLoading) return <Loading what="the notebook" />;
  if (notebook.error) return <ErrorBox title="Cannot open the shared notebook" message={errorMessage(notebook.error)} />;
  const nb = notebook.data;
  if (!nb) return null;
  return (
    <main className="mx-auto max-w-5xl space-y-4 p-6" data-testid="follow-view" data-presenting={focus?.presenting ? 'true' : 'false'}>
      <header className="space-y-1">
        <p className="text-muted text-xs">Following the teacher · read-only</p>
        <h1 className="text-xl font-semibold">{nb.name ?? nb.flow?.id ?? id}</h1>
        {nb.flow?.description && <Markdown text={nb.flow.description} />}
        <p className="text-muted text-xs" data-testid="follow-run">
          {live?.execution ? `Run ${live.execution.id}: ${live.execution.state}` : 'Waiting for the teacher to run a cell…'}
        </p>
      </header>
      {presented && <FollowSlide cells={nb.cells} taskId={presented} notebookId={id} executionId={executionId} live={live} version={version} />}
      {nb.cells.map((cell) => (
        <FollowCell key={cell.taskId} cell={cell} notebookId={id} executionId={executionId} live={live} version={version} focused={focus?.taskId === cell.taskId} />
      ))}
    </main>
  );
}

function FollowCell({ cell, notebookId, executionId, live, version, focused }: { cell: CellDto; notebookId: string; executionId?: string; live: ReturnType<typeof useExecutionLive>['live']; version: number; focused: boolean }) {
  const run = live ? [...live.taskRuns.values()].filter((t) => t.taskId === cell.taskId).at(-1) : undefined;
  const logs = live?.logs.byTask.get(cell.taskId) ?? [];
  const results = run?.outputs ? cellResults(run.outputs, cell.editor?.language === 'sql' ? cell.editor.code : undefined) : [];
  return (
    <section
      data-follow-cell={cell.taskId}
      data-testid="follow-cell"
      data-state={run?.state ?? 'NONE'}
      style={{ marginLeft: cell.depth * 22 }}
      className={`surface scroll-mt-4 space-y-2 rounded-lg border p-4 ${focused ? 'ring-2 ring-sky-500' : ''}`}
    >
      <header className="flex items-center gap-2">
        {run && <StateIcon state={run.state} />}
        <h2 className="font-mono text-sm font-semibold">{cell.taskId}</h2>
        <span className="text-muted text-xs">{cell.title}</span>
      </header>
      {cell.note && <Markdown text={cell.note} />}
      <p className="text-muted text-xs">{cell.explanation}</p>
      <pre className="overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-900">{cell.editor?.code ?? cell.source}</pre>
      {run && (
        <div data-testid="follow-logs">
          <LogView lines={logs} version={version} live={!live?.finished} />
        </div>
      )}
      {run && executionId && results.length > 0 && <ResultsPanel notebookId={notebookId} taskId={cell.taskId} executionId={executionId} results={results} />}
    </section>
  );
}
