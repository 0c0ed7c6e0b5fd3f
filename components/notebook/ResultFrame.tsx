'use client';
/**
 * A result's frame: a toolbar with the Chart switch, the chart builder when it is on, and
 * the grid below. Stored results are charted from their first rows, read once when the
 * chart opens.
 */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { PreviewColumn } from '@/lib/contract';
import { api, errorMessage } from '@/lib/client/api';
import { ErrorBox, Loading } from '@/components/ui/States';
import { ChartBuilder } from './ChartBuilder';
import { useResultChart, type ChartPlace } from './use-result-chart';

/** Rows a chart of a stored result reads (the preview's largest page). */
export const CHART_ROWS = 10_000;

export type ChartSource = { kind: 'rows'; columns: PreviewColumn[]; rows: unknown[][] } | { kind: 'stored'; executionId: string; uri: string };

function StoredChart({ source, place }: { source: Extract<ChartSource, { kind: 'stored' }>; place?: ChartPlace }) {
  const [chart, setChart] = useResultChart(place);
  const q = useQuery({
    queryKey: ['chart-rows', source.executionId, source.uri],
    queryFn: () => api.preview(source.executionId, { uri: source.uri, offset: 0, limit: CHART_ROWS }),
    staleTime: Infinity,
  });
  if (q.isPending) return <Loading what="chart data" />;
  if (q.isError)
    return (
      <div className="p-3">
        <ErrorBox title="Chart data failed" message={errorMessage(q.error)} />
      </div>
    );
  const { columns, rows, total } = q.data;
  const partial = total === undefined ? rows.length === CHART_ROWS : total > rows.length;
  const note = partial ? `Charting the first ${rows.length.toLocaleString()}${total !== undefined ? ` of ${total.toLocaleString()}` : ''} rows.` : undefined;
  return <ChartBuilder columns={columns} rows={rows} spec={chart.spec} onSpec={(spec) => setChart({ ...chart, spec })} note={note} />;
}

function RowsChart({ source, place }: { source: Extract<ChartSource, { kind: 'rows' }>; place?: ChartPlace }) {
  const [chart, setChart] = useResultChart(place);
  return <ChartBuilder columns={source.columns} rows={source.rows} spec={chart.spec} onSpec={(spec) => setChart({ ...chart, spec })} />;
}

export function ResultFrame({
  place,
  chartSource,
  toolbar,
  children,
}: {
  place?: ChartPlace;
  /** What a chart reads; none for results that are not charted (file previews). */
  chartSource?: ChartSource;
  /** More things for the toolbar (counts, notes). */
  toolbar?: ReactNode;
  children: ReactNode;
}) {
  const [chart, setChart] = useResultChart(place);
  const open = chartSource !== undefined && chart.open;
  return (
    <div data-testid="result">
      {(chartSource || toolbar) && (
        <div className="flex flex-wrap items-center gap-2 px-3 pt-2 text-xs">
          {chartSource && (
            <button
              type="button"
              aria-pressed={open}
              onClick={() => setChart({ ...chart, open: !open })}
              className={`rounded px-2 py-0.5 ${open ? 'bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100' : 'text-muted hover:bg-black/5 dark:hover:bg-white/10'}`}
            >
              Chart
            </button>
          )}
          {toolbar}
        </div>
      )}
      {open && chartSource?.kind === 'stored' && <StoredChart source={chartSource} place={place} />}
      {open && chartSource?.kind === 'rows' && <RowsChart source={chartSource} place={place} />}
      {children}
    </div>
  );
}
