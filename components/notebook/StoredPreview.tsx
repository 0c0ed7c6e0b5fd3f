'use client';
/** A stored file (query result, CSV, ...) previewed page by page from the server. */
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, errorMessage } from '@/lib/client/api';
import { ErrorBox, Loading } from '@/components/ui/States';
import { DataGrid, type GridSort } from './DataGrid';
import { SimpleChart } from './SimpleChart';

const PAGE = 50;

export function StoredPreview({ executionId, uri, allowChart = true }: { executionId: string; uri: string; allowChart?: boolean }) {
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<GridSort | undefined>(undefined);
  const [chart, setChart] = useState(false);
  const q = useQuery({
    queryKey: ['preview', executionId, uri, offset, sort?.column, sort?.dir],
    queryFn: () => api.preview(executionId, { uri, offset, limit: PAGE, sort: sort?.column, dir: sort?.dir }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  if (q.isPending) return <Loading what="preview" />;
  if (q.isError) return <div className="p-3"><ErrorBox title="Preview failed" message={errorMessage(q.error)} /></div>;
  const data = q.data;
  const chartable = allowChart && data.columns.length === 2;
  return (
    <div>
      {chartable && (
        <div className="flex gap-1 px-3 pt-2 text-xs">
          <button type="button" onClick={() => setChart(false)} className={`rounded px-2 py-0.5 ${!chart ? 'bg-slate-200 dark:bg-slate-700' : 'text-muted'}`}>
            Table
          </button>
          <button type="button" onClick={() => setChart(true)} className={`rounded px-2 py-0.5 ${chart ? 'bg-slate-200 dark:bg-slate-700' : 'text-muted'}`}>
            Chart
          </button>
        </div>
      )}
      {chart && chartable ? (
        <SimpleChart rows={data.rows} />
      ) : (
        <DataGrid
          columns={data.columns}
          rows={data.rows}
          total={data.total}
          offset={data.offset}
          limit={data.limit || PAGE}
          sort={sort}
          onSort={(s) => {
            setSort(s);
            setOffset(0);
          }}
          onPage={setOffset}
          loading={q.isFetching}
        />
      )}
    </div>
  );
}
