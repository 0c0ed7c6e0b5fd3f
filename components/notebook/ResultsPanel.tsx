'use client';
/**
 * Every result of a query cell as a grid: FETCH_ONE's row, FETCH's rows, STORE's file
 * (server-paged); a `Queries` task with several results gets a tab per statement.
 */
import * as Tabs from '@radix-ui/react-tabs';
import { useState } from 'react';
import { rowCount, type CellResult } from '@/lib/client/results';
import { FetchedRows } from './FetchedRows';
import { StoredPreview } from './StoredPreview';

function rowsText(n: number | undefined): string {
  return n === undefined ? '' : `${n.toLocaleString()} row${n === 1 ? '' : 's'}`;
}

function ResultView({ notebookId, taskId, executionId, item }: { notebookId: string; taskId: string; executionId: string; item: CellResult }) {
  const place = { notebookId, taskId, resultKey: item.key };
  const { result } = item;
  switch (result.kind) {
    case 'row':
      return result.row ? (
        <div data-testid="fetched-row">
          <FetchedRows rows={[result.row]} place={place} />
        </div>
      ) : (
        <div className="text-muted p-3 text-xs" data-testid="no-row">
          The query returned no row (row is null).
        </div>
      );
    case 'rows':
      return <FetchedRows rows={result.rows} place={place} note={result.note} />;
    case 'stored':
      return <StoredPreview executionId={executionId} uri={result.uri} place={place} />;
  }
}

export function ResultsPanel({ notebookId, taskId, executionId, results }: { notebookId: string; taskId: string; executionId: string; results: CellResult[] }) {
  const [tab, setTab] = useState(results[0]?.key ?? '');
  if (results.length === 1) return <ResultView notebookId={notebookId} taskId={taskId} executionId={executionId} item={results[0]} />;
  const trigger =
    'max-w-72 truncate rounded-t border border-b-0 border-transparent px-2 py-1 text-xs text-muted data-[state=active]:border-slate-200 data-[state=active]:bg-slate-50 data-[state=active]:text-current dark:data-[state=active]:border-slate-700 dark:data-[state=active]:bg-slate-800/60';
  return (
    <Tabs.Root value={tab} onValueChange={setTab}>
      <Tabs.List className="border-theme flex gap-1 overflow-x-auto border-b px-3 pt-2" aria-label={`${taskId} statements`}>
        {results.map((r, i) => {
          const count = rowsText(rowCount(r.result));
          return (
            <Tabs.Trigger key={r.key} value={r.key} className={trigger} title={r.statement}>
              {r.statement ? (
                <>
                  <span className="font-semibold">{i + 1}</span> <span className="font-mono">{r.label}</span>
                </>
              ) : (
                r.label
              )}
              {count && <span className="text-muted"> · {count}</span>}
            </Tabs.Trigger>
          );
        })}
      </Tabs.List>
      {results.map((r) => (
        <Tabs.Content key={r.key} value={r.key}>
          <ResultView notebookId={notebookId} taskId={taskId} executionId={executionId} item={r} />
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}
