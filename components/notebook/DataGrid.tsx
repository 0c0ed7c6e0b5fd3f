'use client';
/**
 * A page of tabular results. Paging and sorting belong to whoever owns the data (the
 * server for stored results), so the grid only reports clicks.
 */
import { useMemo } from 'react';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import type { PreviewColumn } from '@/lib/contract';
import { cellText } from '@/lib/client/format';

type GridRow = unknown[];
const features = tableFeatures({});
const helper = createColumnHelper<typeof features, GridRow>();

export interface GridSort {
  column: string;
  dir: 'asc' | 'desc';
}

export function DataGrid({
  columns,
  rows,
  total,
  offset,
  limit,
  sort,
  onSort,
  onPage,
  loading,
}: {
  columns: PreviewColumn[];
  rows: GridRow[];
  total?: number;
  offset: number;
  limit: number;
  sort?: GridSort;
  onSort?: (sort: GridSort) => void;
  onPage: (offset: number) => void;
  loading?: boolean;
}) {
  const defs = useMemo(
    () => helper.columns(columns.map((c, i) => helper.accessor((row: GridRow) => cellText(row[i]), { id: `${i}:${c.name}`, header: c.name }))),
    [columns],
  );
  const table = useTable({ features, columns: defs, data: rows });
  const last = offset + rows.length;
  const hasNext = total === undefined ? rows.length === limit : last < total;
  const page = Math.floor(offset / limit) + 1;
  const pages = total === undefined ? undefined : Math.max(1, Math.ceil(total / limit));

  return (
    <div data-testid="data-grid">
      <div className="max-h-96 overflow-auto">
        <table className="w-full border-collapse text-[12.5px]">
          <thead className="surface sticky top-0 z-10">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header, i) => {
                  const col = columns[i];
                  const active = sort?.column === col.name;
                  return (
                    <th key={header.id} scope="col" className="border-theme border-b px-3 py-1.5 text-left font-semibold whitespace-nowrap">
                      <button
                        type="button"
                        disabled={!onSort}
                        className="inline-flex items-baseline gap-1.5 disabled:cursor-default"
                        onClick={() => onSort?.({ column: col.name, dir: active && sort?.dir === 'asc' ? 'desc' : 'asc' })}
                        aria-label={`Sort by ${col.name}`}
                      >
                        {col.name}
                        <span className="text-muted font-mono text-[10px] font-normal uppercase">{col.type}</span>
                        {active && <span aria-hidden>{sort?.dir === 'asc' ? '▲' : '▼'}</span>}
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className={loading ? 'opacity-50' : ''}>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="hover:bg-sky-50/60 dark:hover:bg-sky-950/30" data-testid="grid-row">
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="border-theme max-w-96 truncate border-b px-3 py-1 font-mono text-xs">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <div className="text-muted p-3 text-center text-xs">No rows.</div>}
      </div>
      <div className="text-muted flex items-center gap-3 px-3 py-1.5 text-xs">
        <span data-testid="grid-range">
          rows {rows.length ? offset + 1 : 0}–{last}
          {total !== undefined ? ` of ${total.toLocaleString()}` : ''}
        </span>
        <span className="flex-1" />
        <button type="button" className="rounded px-1.5 hover:bg-black/5 disabled:opacity-40 dark:hover:bg-white/10" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))} aria-label="Previous page">
          ‹ Prev
        </button>
        <span>
          page {page}
          {pages ? ` / ${pages}` : ''}
        </span>
        <button type="button" className="rounded px-1.5 hover:bg-black/5 disabled:opacity-40 dark:hover:bg-white/10" disabled={!hasNext} onClick={() => onPage(offset + limit)} aria-label="Next page">
          Next ›
        </button>
      </div>
    </div>
  );
}
