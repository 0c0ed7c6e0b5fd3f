'use client';
/** Logs / Results / Files / Outputs under a cell; a finished query cell opens on its results. */
import * as Tabs from '@radix-ui/react-tabs';
import { useMemo, useState } from 'react';
import { isTerminal } from '@/lib/model/states';
import { useExecutionLive } from '@/lib/client/realtime';
import { kestraUris } from '@/lib/client/format';
import { cellResults, rowCount } from '@/lib/client/results';
import type { LogDto, TaskRun } from '@/lib/contract';
import { LogView } from './LogView';
import { ResultsPanel } from './ResultsPanel';
import { FilesTab } from './FilesTab';
import { JsonTree } from './JsonTree';
import { SubflowLink } from './SubflowLink';

const EMPTY: LogDto[] = [];

export function CellTabs({ notebookId, taskId, run, sql }: { notebookId: string; taskId: string; run: TaskRun; sql?: string }) {
  const { live, version } = useExecutionLive(run.executionId);
  const lines = live?.logs.byTask.get(taskId) ?? EMPTY;
  const outputs = useMemo(() => run.outputs ?? {}, [run.outputs]);
  const results = useMemo(() => cellResults(outputs, sql), [outputs, sql]);
  const hasResults = results.length > 0;
  const files = kestraUris(outputs);
  const hasOutputs = Object.keys(outputs).length > 0;
  const running = !isTerminal(run.state);
  const [tab, setTab] = useState<string | null>(null);
  const fallback = running ? 'logs' : hasResults ? 'results' : lines.length === 0 && hasOutputs ? 'outputs' : 'logs';
  const current = tab ?? fallback;
  const count = results.length === 1 ? rowCount(results[0].result) : undefined;
  const resultsText = results.length > 1 ? ` · ${results.length} results` : count !== undefined ? ` · ${count.toLocaleString()} row${count === 1 ? '' : 's'}` : '';

  const trigger = 'border-b-2 border-transparent px-1 py-1.5 text-xs text-muted data-[state=active]:border-orange-400 data-[state=active]:font-semibold data-[state=active]:text-current';
  return (
    <Tabs.Root value={current} onValueChange={setTab}>
      <SubflowLink run={run} />
      <Tabs.List className="border-theme flex gap-4 border-t px-3" aria-label={`${taskId} results`}>
        <Tabs.Trigger value="logs" className={trigger}>
          Logs{running ? ' (live)' : ''} · {lines.length}
        </Tabs.Trigger>
        {hasResults && (
          <Tabs.Trigger value="results" className={trigger}>
            Results{resultsText}
          </Tabs.Trigger>
        )}
        {files.length > 0 && (
          <Tabs.Trigger value="files" className={trigger}>
            Files ({files.length})
          </Tabs.Trigger>
        )}
        {hasOutputs && (
          <Tabs.Trigger value="outputs" className={trigger}>
            Outputs
          </Tabs.Trigger>
        )}
      </Tabs.List>
      <Tabs.Content value="logs">
        <LogView lines={lines} version={version} live={running} emptyText={live?.loaded ? 'No log lines for this cell.' : 'Loading logs…'} />
      </Tabs.Content>
      {hasResults && (
        <Tabs.Content value="results" className="pb-1">
          <ResultsPanel notebookId={notebookId} taskId={taskId} executionId={run.executionId} results={results} />
        </Tabs.Content>
      )}
      {files.length > 0 && (
        <Tabs.Content value="files">
          <FilesTab executionId={run.executionId} files={files} />
        </Tabs.Content>
      )}
      {hasOutputs && (
        <Tabs.Content value="outputs">
          <JsonTree value={outputs} />
        </Tabs.Content>
      )}
    </Tabs.Root>
  );
}
