'use client';
/** Logs / Results / Files / Outputs under a cell. */
import * as Tabs from '@radix-ui/react-tabs';
import { useState } from 'react';
import { isTerminal } from '@/lib/model/states';
import { useExecutionLive } from '@/lib/client/realtime';
import { kestraUris } from '@/lib/client/format';
import type { LogDto, TaskRun } from '@/lib/contract';
import { LogView } from './LogView';
import { StoredPreview } from './StoredPreview';
import { FetchedRows } from './FetchedRows';
import { FilesTab } from './FilesTab';
import { JsonTree } from './JsonTree';

const EMPTY: LogDto[] = [];

function isRowList(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
}

export function CellTabs({ taskId, run }: { taskId: string; run: TaskRun }) {
  const { live, version } = useExecutionLive(run.executionId);
  const lines = live?.logs.byTask.get(taskId) ?? EMPTY;
  const outputs = run.outputs ?? {};
  const storedUri = typeof outputs.uri === 'string' && outputs.uri.startsWith('kestra:///') ? outputs.uri : undefined;
  const rows = isRowList(outputs.rows) ? outputs.rows : undefined;
  const hasResults = storedUri !== undefined || rows !== undefined;
  const files = kestraUris(outputs);
  const hasOutputs = Object.keys(outputs).length > 0;
  const running = !isTerminal(run.state);
  const [tab, setTab] = useState<string | null>(null);
  const fallback = running ? 'logs' : hasResults ? 'results' : lines.length === 0 && hasOutputs ? 'outputs' : 'logs';
  const current = tab ?? fallback;

  const trigger = 'border-b-2 border-transparent px-1 py-1.5 text-xs text-muted data-[state=active]:border-orange-400 data-[state=active]:font-semibold data-[state=active]:text-current';
  return (
    <Tabs.Root value={current} onValueChange={setTab}>
      <Tabs.List className="border-theme flex gap-4 border-t px-3" aria-label={`${taskId} results`}>
        <Tabs.Trigger value="logs" className={trigger}>
          Logs{running ? ' (live)' : ''} · {lines.length}
        </Tabs.Trigger>
        {hasResults && (
          <Tabs.Trigger value="results" className={trigger}>
            Results
            {typeof outputs.size === 'number' ? ` · ${outputs.size} rows` : rows ? ` · ${rows.length} rows` : ''}
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
        <Tabs.Content value="results">
          {storedUri ? <StoredPreview executionId={run.executionId} uri={storedUri} /> : rows ? <FetchedRows rows={rows} /> : null}
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
