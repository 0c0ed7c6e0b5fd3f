'use client';
/** Rows returned inline (fetchType FETCH): paged and sorted in the browser. */
import { useMemo, useState } from 'react';
import type { PreviewColumn } from '@/lib/contract';
import { DataGrid, type GridSort } from './DataGrid';
import { SimpleChart } from './SimpleChart';

const PAGE = 50;

function typeOf(values: unknown[]): string {
  const v = values.find((x) => x !== null && x !== undefined);
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'object') return 'json';
  return 'string';
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

export function FetchedRows({ rows }: { rows: Record<string, unknown>[] }) {
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<GridSort | undefined>(undefined);
  const [chart, setChart] = useState(false);
  const columns: PreviewColumn[] = useMemo(() => {
    const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return names.map((name) => ({ name, type: typeOf(rows.map((r) => r[name])) }));
  }, [rows]);
  const table = useMemo(() => {
    const t = rows.map((r) => columns.map((c) => r[c.name]));
    if (sort) {
      const i = columns.findIndex((c) => c.name === sort.column);
      t.sort((a, b) => (sort.dir === 'asc' ? 1 : -1) * compare(a[i], b[i]));
    }
    return t;
  }, [rows, columns, sort]);
  return (
    <div>
      {columns.length === 2 && (
        <div className="flex gap-1 px-3 pt-2 text-xs">
          <button type="button" onClick={() => setChart(!chart)} className="text-muted rounded px-2 py-0.5 hover:bg-black/5">
            {chart ? 'Table' : 'Chart'}
          </button>
        </div>
      )}
      {chart && columns.length === 2 ? (
        <SimpleChart rows={table} />
      ) : (
        <DataGrid columns={columns} rows={table.slice(offset, offset + PAGE)} total={rows.length} offset={offset} limit={PAGE} sort={sort} onSort={setSort} onPage={setOffset} />
      )}
    </div>
  );
}
