'use client';
/**
 * "Run on Kestra": starts the deployed flow on a Kestra server with the inputs typed into the
 * notebook's form. The run then shows in the cells like a local one (marked remote), so the
 * dialog only says where it runs and links to it in Kestra's UI.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotebookDto, RemoteRunDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { formatDateTime } from '@/lib/client/format';
import { kestraApi, kestraKeys, useRemoteRuns } from '@/lib/client/kestra';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { ErrorBox } from '@/components/ui/States';
import { ServerPicker } from './ServerPicker';

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function KestraLink({ run, children }: { run: RemoteRunDto; children?: string }) {
  return (
    <a href={run.url} target="_blank" rel="noopener noreferrer" className="text-sky-700 underline dark:text-sky-400" data-testid="kestra-execution-link">
      {children ?? 'Open in Kestra ↗'}
    </a>
  );
}

export function RunOnKestraDialog({ open, onOpenChange, notebook }: { open: boolean; onOpenChange: (o: boolean) => void; notebook: NotebookDto }) {
  const qc = useQueryClient();
  const [serverId, setServerId] = useState<string | undefined>();
  const specs = notebook.flow?.inputs ?? [];
  const stored = useQuery({ queryKey: ['kestra-run-inputs', notebook.id, notebook.version], queryFn: () => kestraApi.storedInputs(notebook.id), enabled: open && specs.length > 0 });
  const recent = useRemoteRuns(notebook.id, open);
  const start = useMutation({
    mutationFn: () => kestraApi.startRun({ serverId: serverId ?? '', notebookId: notebook.id }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: kestraKeys.runs(notebook.id) }),
  });
  const started = start.data;
  const values = stored.data?.values ?? {};

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) start.reset();
        onOpenChange(o);
      }}
      title="Run on Kestra"
      description="Starts the flow as deployed on the server, with the inputs of this notebook's form. Its task runs, logs and outputs show in the cells, marked remote."
    >
      <div className="space-y-3">
        <ServerPicker value={serverId} enabled={open} onChange={setServerId} />
        {specs.length > 0 && (
          <div className="text-[13px]">
            <div className="text-muted text-xs">Inputs sent</div>
            <ul className="mt-1 space-y-0.5 font-mono text-xs" data-testid="kestra-run-inputs">
              {specs.map((s) => (
                <li key={s.id}>
                  {s.id} = {Object.hasOwn(values, s.id) ? text(values[s.id]) : <span className="text-muted">(the flow&apos;s default on Kestra)</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
        {start.isError && <ErrorBox title="The run did not start" message={errorMessage(start.error)} />}
        {started ? (
          <div className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-[13px] dark:border-emerald-900 dark:bg-emerald-950/40" role="status" data-testid="kestra-run-started">
            Running on {started.serverName} as execution <span className="font-mono">{started.executionId}</span>. The cells follow it. <KestraLink run={started} />
            {started.differsFromNotebook && <p className="mt-1 text-amber-800 dark:text-amber-300">The server runs another version of this flow than the notebook: deploy to run this one.</p>}
          </div>
        ) : (
          <Button variant="primary" disabled={!serverId || start.isPending || !notebook.flow} onClick={() => start.mutate()}>
            {start.isPending ? 'Starting…' : '▶ Run on Kestra'}
          </Button>
        )}
        {recent.data && recent.data.length > 0 && (
          <div>
            <div className="text-muted text-xs">Recent runs on Kestra</div>
            <ul className="mt-1 space-y-0.5 text-xs">
              {recent.data.slice(0, 5).map((r) => (
                <li key={r.executionId}>
                  {formatDateTime(r.startedAt)} · {r.serverName} · <KestraLink run={r}>{r.executionId}</KestraLink>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </Dialog>
  );
}
