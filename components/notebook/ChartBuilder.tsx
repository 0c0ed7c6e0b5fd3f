'use client';
/** Pick a chart for a result: kind, x, one or more y, group by, aggregate. */
import { useMemo } from 'react';
import type { PreviewColumn } from '@/lib/contract';
import { describeColumns } from '@/lib/client/columns';
import { AGGREGATES, CHART_KINDS, chartData, fitChartSpec, type ChartSpec } from '@/lib/client/chart';
import { ChartView } from './ChartView';

const field = 'rounded border border-slate-300 bg-transparent px-1.5 py-0.5 text-xs dark:border-slate-600';

function pill(active: boolean): string {
  return `rounded px-2 py-0.5 text-xs ${active ? 'bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100' : 'text-muted hover:bg-black/5 dark:hover:bg-white/10'}`;
}

export function ChartBuilder({
  columns,
  rows,
  spec: remembered,
  onSpec,
  note,
}: {
  columns: PreviewColumn[];
  rows: unknown[][];
  spec?: ChartSpec;
  onSpec: (spec: ChartSpec) => void;
  /** Says when only part of the result is charted. */
  note?: string;
}) {
  const info = useMemo(() => describeColumns(columns, rows), [columns, rows]);
  const spec = useMemo(() => fitChartSpec(remembered, info), [remembered, info]);
  const data = useMemo(() => (spec ? chartData(spec, info, rows) : undefined), [spec, info, rows]);
  if (!spec || !data) return <div className="text-muted p-3 text-xs">This result has no columns to chart.</div>;

  const numbers = info.filter((c) => c.kind === 'number' && c.name !== spec.x);
  const others = info.filter((c) => c.name !== spec.x);
  const update = (patch: Partial<ChartSpec>) => onSpec({ ...spec, ...patch });
  const left: string[] = [];
  if (data.skipped) left.push(`${data.skipped.toLocaleString()} row${data.skipped === 1 ? '' : 's'} without a value`);
  if (data.clippedCategories) left.push(`${data.clippedCategories.toLocaleString()} categories`);
  if (data.clippedSeries) left.push(`${data.clippedSeries} series`);

  return (
    <div className="border-theme mx-3 mt-2 rounded-lg border p-2" data-testid="chart-builder">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="flex gap-1" role="group" aria-label="Chart kind">
          {CHART_KINDS.map((k) => (
            <button key={k} type="button" aria-pressed={spec.kind === k} className={pill(spec.kind === k)} onClick={() => update({ kind: k })}>
              {k}
            </button>
          ))}
        </div>
        <label className="flex items-center gap-1.5 text-xs">
          <span className="text-muted">x</span>
          <select aria-label="X axis" className={field} value={spec.x} onChange={(e) => update({ x: e.target.value, y: spec.y.filter((y) => y !== e.target.value) })}>
            {info.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {spec.kind !== 'histogram' && (
          <fieldset className="flex flex-wrap items-center gap-2 text-xs" aria-label="Y axis">
            <legend className="text-muted float-left mr-1.5">y</legend>
            {numbers.length === 0 && <span className="text-muted">no number columns</span>}
            {numbers.map((c) => (
              <label key={c.name} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={spec.y.includes(c.name)}
                  onChange={(e) => update({ y: e.target.checked ? [...spec.y, c.name] : spec.y.filter((y) => y !== c.name) })}
                />
                {c.name}
              </label>
            ))}
          </fieldset>
        )}
        <label className="flex items-center gap-1.5 text-xs">
          <span className="text-muted">group by</span>
          <select aria-label="Group by" className={field} value={spec.group ?? ''} onChange={(e) => update({ group: e.target.value || undefined })}>
            <option value="">none</option>
            {others.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {(spec.kind === 'bar' || spec.kind === 'line') && (
          <label className="flex items-center gap-1.5 text-xs">
            <span className="text-muted" title="How rows that share an x value become one">aggregate</span>
            <select aria-label="Aggregate" className={field} value={spec.agg} onChange={(e) => update({ agg: e.target.value as ChartSpec['agg'] })}>
              {AGGREGATES.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {data.problem ? (
        <div className="text-muted p-3 text-xs" data-testid="chart-problem">
          {data.problem}
        </div>
      ) : (
        <div className="pt-2">
          <ChartView data={data} />
        </div>
      )}
      {(note || left.length > 0) && (
        <div className="text-muted px-1 pt-1 text-[11px]" data-testid="chart-note">
          {note}
          {note && left.length > 0 ? ' ' : ''}
          {left.length > 0 ? `Left out: ${left.join(', ')}.` : ''}
        </div>
      )}
    </div>
  );
}
