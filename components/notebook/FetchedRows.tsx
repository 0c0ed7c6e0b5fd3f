'use client';
/** Rows returned in the outputs (fetchType FETCH, or FETCH_ONE's one row): paged and sorted in the browser. */
import { useMemo, useState } from 'react';
import type { PreviewColumn } from '@/lib/contract';
import { columnsOfRecords, sortRows } from '@/lib/client/columns';
import { DataGrid, type GridSort } from './DataGrid';
import { ResultFrame } from './ResultFrame';
import type { ChartPlace } from './use-result-chart';

/** The grid is virtualized, so a page can be long; the fetch cap keeps the whole small. */
const PAGE = 500;

export function FetchedRows({ rows, place, note }: { rows: Record<string, unknown>[]; place?: ChartPlace; note?: string }) {
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<GridSort | undefined>(undefined);
  const columns: PreviewColumn[] = useMemo(() => columnsOfRecords(rows), [rows]);
  const table = useMemo(() => rows.map((r) => columns.map((c) => r[c.name] ?? null)), [rows, columns]);
  const sorted = useMemo(() => {
    if (!sort) return table;
    const i = columns.findIndex((c) => c.name === sort.column);
    return i < 0 ? table : sortRows(table, i, sort.dir);
  }, [table, columns, sort]);
  return (
    <ResultFrame
      place={place}
      chartSource={{ kind: 'rows', columns, rows: table }}
      toolbar={
        note ? (
          <span className="text-amber-700 dark:text-amber-400" data-testid="result-note">
            {note}
          </span>
        ) : undefined
      }
    >
      <DataGrid
        columns={columns}
        rows={sorted.slice(offset, offset + PAGE)}
        total={rows.length}
        offset={offset}
        limit={PAGE}
        sort={sort}
        onSort={(s) => {
          setSort(s);
          setOffset(0);
        }}
        onPage={setOffset}
      />
    </ResultFrame>
  );
}
