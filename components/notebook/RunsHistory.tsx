'use client';
/**
 * The notebook's executions, newest first, with durations that count while they run, the
 * trigger date a run ran as and its labels; one opens with its task runs, outputs and logs,
 * can run again with the same inputs, and its log downloads as a text file.
 */
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ExecutionDto } from '@/lib/contract';
import { api, errorMessage } from '@/lib/client/api';
import { keys } from '@/lib/client/queries';
import { useExecutionLive } from '@/lib/client/realtime';
import { durationBetween, formatDateTime, formatDuration, formatTime } from '@/lib/client/format';
import { isTerminal } from '@/lib/model/states';
import { StateIcon, stateTextClass } from '@/components/ui/StateIcon';
import { Dialog } from '@/components/ui/Dialog';
import { ErrorBox, Loading } from '@/components/ui/States';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { LogView } from './LogView';
import { JsonTree } from './JsonTree';
import { ReportLink } from './ReportLink';

function summary(ex: ExecutionDto): string {
  const inputs = Object.values(ex.inputs).filter((v) => typeof v === 'string' || typeof v === 'number').join(' ');
  const what = ex.mode === 'all' ? 'all' : `${ex.mode} ${ex.targetTaskId ?? ''}`;
  return [what, inputs].filter(Boolean).join(' · ');
}

/** The clock, ticking every second while `running`: durations of running executions count up. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return now;
}

function duration(ex: ExecutionDto, now: number): string {
  return formatDuration(ex.durationMs ?? durationBetween(ex.startDate, ex.endDate, now));
}

/** A trigger date as the run's `trigger.date` reads: UTC, without zero seconds. */
function triggerText(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** Runs the execution again as it ran: same mode and cell, same inputs, same trigger date. */
function RerunButton({ execution, onStarted }: { execution: ExecutionDto; onStarted: () => void }) {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function rerun() {
    setBusy(true);
    setError(null);
    try {
      await api.startRun(execution.notebookId, {
        mode: execution.mode,
        taskId: execution.targetTaskId,
        inputs: execution.inputs,
        ...(execution.triggerDate ? { triggerDate: execution.triggerDate, triggerId: execution.triggerId } : {}),
      });
      void qc.invalidateQueries({ queryKey: keys.executions(execution.notebookId) });
      onStarted();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="flex flex-col gap-1">
      <Button size="sm" onClick={() => void rerun()} disabled={busy} title="Start a new run with the inputs (and trigger date) of this one">
        ↻ Re-run with these inputs
      </Button>
      {error && <ErrorBox title="Not started" message={error} />}
    </span>
  );
}

function ExecutionDetail({ execution, onRerun }: { execution: ExecutionDto; onRerun: () => void }) {
  const detail = useQuery({ queryKey: ['execution', execution.id, execution.state], queryFn: () => api.getExecution(execution.id) });
  const { live, version } = useExecutionLive(execution.id);
  const now = useNow(!isTerminal(execution.state));
  return (
    <div className="space-y-4 text-[13px]">
      <div className="flex flex-wrap items-start gap-2">
        <RerunButton execution={execution} onStarted={onRerun} />
        <a
          href={api.logDownloadUrl(execution.id)}
          download
          className="border-theme inline-flex items-center rounded-md border px-2 py-0.5 text-xs hover:bg-black/5 dark:hover:bg-white/10"
          data-testid="download-log"
        >
          ⤓ Download log (.log)
        </a>
        <ReportLink executionId={execution.id} notebookId={execution.notebookId} />
      </div>
      <div className="grid grid-cols-[8rem_1fr] gap-y-1">
        <span className="text-muted">state</span>
        <span className={stateTextClass(execution.state)}>{execution.state}</span>
        <span className="text-muted">started</span>
        <span>{formatDateTime(execution.startDate)}</span>
        <span className="text-muted">duration</span>
        <span data-testid="run-duration">{duration(execution, now)}</span>
        {execution.triggerDate && (
          <>
            <span className="text-muted">trigger</span>
            <span data-testid="run-trigger">
              {execution.triggerId} · trigger.date {triggerText(execution.triggerDate)}
            </span>
          </>
        )}
        <span className="text-muted">mode</span>
        <span>{summary(execution)}</span>
        <span className="text-muted">labels</span>
        <span className="flex flex-wrap gap-1">
          {Object.entries(execution.labels).map(([k, v]) => (
            <Badge key={k}>
              {k}: {v}
            </Badge>
          ))}
        </span>
        <span className="text-muted">inputs</span>
        <span className="font-mono text-xs break-all">{JSON.stringify(execution.inputs)}</span>
      </div>
      {execution.error && <ErrorBox title="Execution error" message={execution.error} />}
      <div>
        <h3 className="mb-1 font-semibold">Task runs</h3>
        {detail.isPending ? (
          <Loading what="task runs" />
        ) : detail.isError ? (
          <ErrorBox title="Could not load task runs" message={errorMessage(detail.error)} />
        ) : (
          <ul className="space-y-1">
            {detail.data.taskRuns.map((tr) => (
              <li key={tr.id} className="border-theme rounded border">
                <details>
                  <summary className="flex cursor-pointer items-center gap-2 px-2 py-1">
                    <StateIcon state={tr.state} />
                    <span className="font-mono text-xs">{tr.taskId}</span>
                    {tr.value && <span className="text-muted text-xs">[{tr.value}]</span>}
                    <span className="text-muted ml-auto text-xs">{formatDuration(durationBetween(tr.startDate, tr.endDate))}</span>
                  </summary>
                  {tr.error && <div className="px-2 text-xs text-red-600">{tr.error}</div>}
                  <JsonTree value={tr.outputs ?? {}} />
                </details>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3 className="mb-1 font-semibold">Logs</h3>
        <LogView lines={live?.logs.all ?? []} version={version} live={!isTerminal(execution.state)} showTask emptyText={live?.loaded ? 'No log lines.' : 'Loading logs…'} />
      </div>
    </div>
  );
}

export function RunsHistory({ executions }: { executions: ExecutionDto[] }) {
  const [open, setOpen] = useState<ExecutionDto | null>(null);
  // `?run=<id>` (the link under a Subflow cell to the run it started) opens that run once it is listed.
  const [wanted] = useState(() => (typeof window === 'undefined' ? null : new URLSearchParams(window.location.search).get('run')));
  const openedWanted = useRef(false);
  useEffect(() => {
    const ex = wanted ? executions.find((e) => e.id === wanted) : undefined;
    if (!ex || openedWanted.current) return;
    openedWanted.current = true;
    setOpen(ex);
  }, [wanted, executions]);
  const now = useNow(executions.some((ex) => !isTerminal(ex.state)));
  if (executions.length === 0) return <div className="text-muted text-xs">No runs yet.</div>;
  return (
    <>
      <ul className="space-y-0.5" data-testid="runs">
        {executions.map((ex) => {
          // Flowbook's own system.* labels (a correlation id) say nothing at a glance; the run's detail lists them.
          const labels = Object.entries(ex.labels).filter(([k]) => !k.startsWith('system.'));
          return (
            <li key={ex.id} data-testid="run" data-execution-id={ex.id} data-state={ex.state}>
              <button type="button" onClick={() => setOpen(ex)} className="flex w-full flex-col rounded px-1 py-0.5 text-left text-xs hover:bg-black/5 dark:hover:bg-white/10">
                <span className="flex w-full items-center gap-1.5">
                  <StateIcon state={ex.state} />
                  <span className={stateTextClass(ex.state)}>{formatTime(ex.startDate)}</span>
                  <span className="text-muted truncate">{summary(ex)}</span>
                  <span className="text-muted ml-auto shrink-0 tabular-nums" data-testid="run-duration">
                    {duration(ex, now)}
                  </span>
                </span>
                {(ex.triggerDate !== undefined || labels.length > 0) && (
                  <span className="flex min-w-0 flex-wrap items-center gap-1 pt-0.5 pl-5">
                    {ex.triggerDate && (
                      <Badge tone="violet" title={`Ran as trigger ${ex.triggerId ?? ''}`}>
                        ◷ {triggerText(ex.triggerDate)}
                      </Badge>
                    )}
                    {labels.map(([k, v]) => (
                      <span key={k} className="max-w-full min-w-0 truncate" title={`${k}: ${v}`}>
                        <Badge>
                          {k}: {v}
                        </Badge>
                      </span>
                    ))}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <Dialog open={open !== null} onOpenChange={(o) => !o && setOpen(null)} title={open ? `Run ${open.id}` : 'Run'} wide>
        {open && <ExecutionDetail execution={executions.find((e) => e.id === open.id) ?? open} onRerun={() => setOpen(null)} />}
      </Dialog>
    </>
  );
}
