'use client';
/** The notebook's executions, newest first; one opens with its task runs, outputs and logs. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ExecutionDto } from '@/lib/contract';
import { api, errorMessage } from '@/lib/client/api';
import { useExecutionLive } from '@/lib/client/realtime';
import { durationBetween, formatDateTime, formatDuration, formatTime } from '@/lib/client/format';
import { isTerminal } from '@/lib/model/states';
import { StateIcon, stateTextClass } from '@/components/ui/StateIcon';
import { Dialog } from '@/components/ui/Dialog';
import { ErrorBox, Loading } from '@/components/ui/States';
import { Badge } from '@/components/ui/Badge';
import { LogView } from './LogView';
import { JsonTree } from './JsonTree';

function summary(ex: ExecutionDto): string {
  const inputs = Object.values(ex.inputs).filter((v) => typeof v === 'string' || typeof v === 'number').join(' ');
  const what = ex.mode === 'all' ? 'all' : `${ex.mode} ${ex.targetTaskId ?? ''}`;
  return [what, inputs].filter(Boolean).join(' · ');
}

function ExecutionDetail({ execution }: { execution: ExecutionDto }) {
  const detail = useQuery({ queryKey: ['execution', execution.id, execution.state], queryFn: () => api.getExecution(execution.id) });
  const { live, version } = useExecutionLive(execution.id);
  return (
    <div className="space-y-4 text-[13px]">
      <div className="grid grid-cols-[8rem_1fr] gap-y-1">
        <span className="text-muted">state</span>
        <span className={stateTextClass(execution.state)}>{execution.state}</span>
        <span className="text-muted">started</span>
        <span>{formatDateTime(execution.startDate)}</span>
        <span className="text-muted">duration</span>
        <span>{formatDuration(execution.durationMs ?? durationBetween(execution.startDate, execution.endDate))}</span>
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
  if (executions.length === 0) return <div className="text-muted text-xs">No runs yet.</div>;
  return (
    <>
      <ul className="space-y-0.5" data-testid="runs">
        {executions.map((ex) => (
          <li key={ex.id}>
            <button type="button" onClick={() => setOpen(ex)} className="flex w-full items-center gap-1.5 rounded px-1 py-0.5 text-left text-xs hover:bg-black/5 dark:hover:bg-white/10">
              <StateIcon state={ex.state} />
              <span className={stateTextClass(ex.state)}>{formatTime(ex.startDate)}</span>
              <span className="text-muted truncate">{summary(ex)}</span>
              <span className="text-muted ml-auto shrink-0">{formatDuration(ex.durationMs ?? durationBetween(ex.startDate, ex.endDate))}</span>
            </button>
          </li>
        ))}
      </ul>
      <Dialog open={open !== null} onOpenChange={(o) => !o && setOpen(null)} title={open ? `Run ${open.id}` : 'Run'} wide>
        {open && <ExecutionDetail execution={executions.find((e) => e.id === open.id) ?? open} />}
      </Dialog>
    </>
  );
}
