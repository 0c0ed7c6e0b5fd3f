'use client';
/** A stored file (a STORE result's Ion file, a CSV, ...) read page by page from the server, sorted there. */
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, errorMessage } from '@/lib/client/api';
import { ErrorBox, Loading } from '@/components/ui/States';
import { DataGrid, type GridSort } from './DataGrid';
import { ResultFrame } from './ResultFrame';
import type { ChartPlace } from './use-result-chart';

const PAGE = 50;

export function StoredPreview({ executionId, uri, place, chart = true }: { executionId: string; uri: string; place?: ChartPlace; chart?: boolean }) {
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<GridSort | undefined>(undefined);
  const q = useQuery({
    queryKey: ['preview', executionId, uri, offset, sort?.column, sort?.dir],
    queryFn: () => api.preview(executionId, { uri, offset, limit: PAGE, sort: sort?.column, dir: sort?.dir }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  if (q.isPending) return <Loading what="preview" />;
  if (q.isError)
    return (
      <div className="p-3">
        <ErrorBox title="Preview failed" message={errorMessage(q.error)} />
      </div>
    );
  const data = q.data;
  return (
    <ResultFrame place={place} chartSource={chart ? { kind: 'stored', executionId, uri } : undefined}>
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
    </ResultFrame>
  );
}
