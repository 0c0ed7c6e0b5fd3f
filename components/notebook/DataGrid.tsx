'use client';
/**
 * A page of tabular results. Paging and sorting belong to whoever owns the data (the
 * server for stored results, the cell for fetched rows), so the grid only reports clicks.
 * Rows are virtualized: only those in view are in the page, so long pages stay smooth.
 */
import { useEffect, useMemo, useRef } from 'react';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PreviewColumn } from '@/lib/contract';
import { cellText } from '@/lib/client/format';

type GridRow = unknown[];
const features = tableFeatures({});
const helper = createColumnHelper<typeof features, GridRow>();
const ROW_HEIGHT = 25;

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
  const tableRows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items.length > 0 ? items[0].start : 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  // A new page or sort starts at its first row.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [offset, sort?.column, sort?.dir]);

  const last = offset + rows.length;
  const hasNext = total === undefined ? rows.length === limit : last < total;
  const page = Math.floor(offset / limit) + 1;
  const pages = total === undefined ? undefined : Math.max(1, Math.ceil(total / limit));
  const paged = offset > 0 || hasNext;

  return (
    <div data-testid="data-grid">
      <div ref={scrollRef} className="max-h-96 overflow-auto">
        <table className="w-full border-collapse text-[12.5px]">
          <thead className="surface sticky top-0 z-10">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header, i) => {
                  const col = columns[i];
                  const active = sort?.column === col.name;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={active ? (sort?.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                      className="border-theme border-b px-3 py-1.5 text-left font-semibold whitespace-nowrap"
                    >
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
            {padTop > 0 && (
              <tr aria-hidden style={{ height: padTop }}>
                <td colSpan={columns.length} />
              </tr>
            )}
            {items.map((item) => {
              const row = tableRows[item.index];
              return (
                <tr key={row.id} style={{ height: ROW_HEIGHT }} className="hover:bg-sky-50/60 dark:hover:bg-sky-950/30" data-testid="grid-row">
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id} className="border-theme max-w-96 truncate border-b px-3 py-1 font-mono text-xs">
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 && (
              <tr aria-hidden style={{ height: padBottom }}>
                <td colSpan={columns.length} />
              </tr>
            )}
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
        {paged && (
          <>
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
          </>
        )}
      </div>
    </div>
  );
}
