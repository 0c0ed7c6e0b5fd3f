/**
 * The chart builder's data: a spec (kind, x, y columns, group by, aggregate) turned into
 * series a plain SVG renderer can draw. Pure, so grouping and binning are tested alone.
 */
import { toNumber, toTime, type ColumnInfo } from './columns';

export const CHART_KINDS = ['bar', 'line', 'scatter', 'histogram'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const AGGREGATES = ['sum', 'avg', 'count', 'min', 'max'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface ChartSpec {
  kind: ChartKind;
  x: string;
  /** Value columns; one series each (times each group). Histograms count rows instead. */
  y: string[];
  group?: string;
  /** How rows sharing an x (and group) become one value, for bar and line charts. */
  agg: Aggregate;
}

/** More series than this are hard to tell apart; the rest are left out and counted. */
export const MAX_SERIES = 12;
/** Bars and line categories beyond this are left out and counted. */
export const MAX_CATEGORIES = 200;
export const HISTOGRAM_BINS = 20;

export type XAxis =
  | { type: 'category'; labels: string[] }
  | { type: 'number' | 'time'; min: number; max: number };

export interface ChartPoint {
  /** Category index on a category axis, else the value (ms for times). */
  x: number;
  y: number;
  /** Tooltip text. */
  label: string;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

export interface Bin {
  start: number;
  end: number;
}

export interface ChartData {
  kind: ChartKind;
  x: XAxis;
  series: ChartSeries[];
  yMin: number;
  yMax: number;
  /** The y values are counts: ticks on whole numbers. */
  yInteger: boolean;
  xLabel: string;
  yLabel: string;
  /** Histogram bins, in axis units; series points give the count per bin index. */
  bins?: Bin[];
  /** Rows with no usable x or y value. */
  skipped: number;
  /** Categories left out (beyond MAX_CATEGORIES). */
  clippedCategories: number;
  /** Series left out (beyond MAX_SERIES). */
  clippedSeries: number;
  /** Why nothing can be drawn, in words. */
  problem?: string;
}

function isNumeric(c: ColumnInfo | undefined): boolean {
  return c?.kind === 'number';
}

/** A first chart for a result: labels against the first number column, or a histogram. */
export function defaultChartSpec(columns: readonly ColumnInfo[]): ChartSpec | undefined {
  if (columns.length === 0) return undefined;
  const label = columns.find((c) => !isNumeric(c)) ?? columns[0];
  const value = columns.find((c) => isNumeric(c) && c.name !== label.name);
  if (value) return { kind: label.kind === 'time' ? 'line' : 'bar', x: label.name, y: [value.name], agg: 'sum' };
  if (isNumeric(label)) return { kind: 'histogram', x: label.name, y: [], agg: 'count' };
  return { kind: 'bar', x: label.name, y: [], agg: 'count' };
}

/** A remembered spec against today's columns: names that are gone are dropped. */
export function fitChartSpec(spec: ChartSpec | undefined, columns: readonly ColumnInfo[]): ChartSpec | undefined {
  if (!spec) return defaultChartSpec(columns);
  const names = new Set(columns.map((c) => c.name));
  if (!names.has(spec.x)) return defaultChartSpec(columns);
  return {
    kind: spec.kind,
    x: spec.x,
    y: spec.y.filter((y) => names.has(y) && y !== spec.x),
    group: spec.group !== undefined && names.has(spec.group) && spec.group !== spec.x ? spec.group : undefined,
    agg: spec.agg,
  };
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** Float noise off (0.1 + 0.2), without rounding real precision away. */
export function clean(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(12));
}

/** Round tick values within [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [clean(min)];
  const step = niceStep((max - min) / count);
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  // `|| 0` turns -0 (from ceil of a tiny negative) into 0.
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(clean(v) || 0);
  return ticks;
}

/** An axis widened to round ends, with its ticks; counts (`integer`) tick on whole numbers. */
export function niceScale(min: number, max: number, count = 5, integer = false): { min: number; max: number; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1, ticks: [0, 1] };
  if (min === max) return niceScale(min - 1, max + 1, count, integer);
  let step = niceStep((max - min) / count);
  if (integer) step = Math.max(1, step);
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step * 1e-9; v += step) ticks.push(clean(v) || 0);
  return { min: clean(lo) || 0, max: clean(hi), ticks };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [SECOND, 5 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120];

/** Ticks on calendar boundaries (UTC): whole seconds, hours, days, weeks, then months and years. */
export function timeTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const span = max - min;
  // The finest step giving at most count + 1 ticks.
  const step = TIME_STEPS.find((s) => span / s <= count + 1);
  if (step !== undefined) {
    const ticks: number[] = [];
    for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t);
    return ticks;
  }
  const months = MONTH_STEPS.find((m) => span / (m * 30.44 * DAY) <= count + 1) ?? Math.ceil(span / (365.25 * DAY) / count) * 12;
  const start = new Date(min);
  let year = start.getUTCFullYear();
  let month = Math.ceil((start.getUTCMonth() + (start.getUTCDate() > 1 || min % DAY !== 0 ? 1 : 0)) / months) * months;
  const ticks: number[] = [];
  for (;;) {
    year += Math.floor(month / 12);
    month %= 12;
    const t = Date.UTC(year, month, 1);
    if (t > max) break;
    ticks.push(t);
    month += months;
  }
  return ticks;
}

/** Equal-width bins on round boundaries covering every value. */
export function histogramBins(values: readonly number[], target = HISTOGRAM_BINS): Bin[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return [{ start: clean(min - 0.5), end: clean(min + 0.5) }];
  const step = niceStep((max - min) / target);
  const start = Math.floor(min / step) * step;
  const count = Math.max(1, Math.floor((max - start) / step + 1e-9) + 1);
  return Array.from({ length: count }, (_, i) => ({ start: clean(start + i * step), end: clean(start + (i + 1) * step) }));
}

/** The bin a value falls in: [start, end), the last bin closed. */
export function binIndex(bins: readonly Bin[], v: number): number {
  if (bins.length === 0) return -1;
  const width = bins[0].end - bins[0].start;
  const i = Math.floor((v - bins[0].start) / width + 1e-9);
  return Math.min(Math.max(i, 0), bins.length - 1);
}

function aggregate(agg: Aggregate, values: readonly number[], rows: number): number {
  switch (agg) {
    case 'count':
      return rows;
    case 'sum':
      return clean(values.reduce((a, b) => a + b, 0));
    case 'avg':
      return values.length ? clean(values.reduce((a, b) => a + b, 0) / values.length) : NaN;
    case 'min':
      return values.length ? Math.min(...values) : NaN;
    case 'max':
      return values.length ? Math.max(...values) : NaN;
  }
}

/** A cell as a label on a category axis. */
export function labelOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A value on the x axis: number or time in ms when the column is one. */
function xValue(column: ColumnInfo, v: unknown): number | undefined {
  if (column.kind === 'number') return toNumber(v);
  if (column.kind === 'time') return toTime(v);
  return undefined;
}

interface SeriesKey {
  name: string;
  y?: string;
  group?: string;
}

/**
 * Series names: one per y column; with a group by, one per group value (times each y when
 * there are several), in first-seen order.
 */
function seriesKeys(spec: ChartSpec, ys: string[], groupValues: string[]): SeriesKey[] {
  const valueCols: (string | undefined)[] = ys.length ? ys : [undefined];
  if (spec.group === undefined) return valueCols.map((y) => ({ name: y ?? 'count', y }));
  return groupValues.flatMap((g) => valueCols.map((y) => ({ name: valueCols.length > 1 && y ? `${g} · ${y}` : g, y, group: g })));
}

function emptyData(spec: ChartSpec, problem: string): ChartData {
  return {
    kind: spec.kind,
    x: { type: 'category', labels: [] },
    series: [],
    yMin: 0,
    yMax: 1,
    yInteger: false,
    xLabel: spec.x,
    yLabel: '',
    skipped: 0,
    clippedCategories: 0,
    clippedSeries: 0,
    problem,
  };
}

function yRange(series: readonly ChartSeries[], floor: boolean): { yMin: number; yMax: number } {
  let yMin = floor ? 0 : Infinity;
  let yMax = floor ? 0 : -Infinity;
  for (const s of series)
    for (const p of s.points) {
      if (p.y < yMin) yMin = p.y;
      if (p.y > yMax) yMax = p.y;
    }
  if (!Number.isFinite(yMin) || !Number.isFinite(yMax)) return { yMin: 0, yMax: 1 };
  if (yMin === yMax) return { yMin: yMin - 1, yMax: yMax + 1 };
  return { yMin, yMax };
}

function tooltip(xLabel: string, s: SeriesKey, single: boolean, value: number): string {
  return single ? `${xLabel}: ${value}` : `${xLabel} · ${s.name}: ${value}`;
}

/** Chart data for the rows at hand (`columns` in row order). */
export function chartData(spec: ChartSpec, columns: readonly ColumnInfo[], rows: readonly unknown[][]): ChartData {
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const xi = index.get(spec.x);
  if (xi === undefined) return emptyData(spec, `There is no column ${spec.x}.`);
  const xCol = columns[xi];
  const ys = spec.y.filter((y) => index.has(y) && y !== spec.x);
  const gi = spec.group === undefined ? undefined : index.get(spec.group);

  // Group values in first-seen order; beyond MAX_SERIES they are left out.
  const groupOrder: string[] = [];
  const groupSeen = new Set<string>();
  if (gi !== undefined) {
    for (const r of rows) {
      const g = labelOf(r[gi]);
      if (!groupSeen.has(g)) {
        groupSeen.add(g);
        groupOrder.push(g);
      }
    }
  }
  const valueCount = Math.max(1, ys.length);
  const keptGroups = gi === undefined ? groupOrder : groupOrder.slice(0, Math.max(1, Math.floor(MAX_SERIES / valueCount)));
  const keys = seriesKeys(spec, spec.kind === 'histogram' ? [] : ys, keptGroups);
  const kept = keys.slice(0, MAX_SERIES);
  const clippedSeries = keys.length - kept.length + (groupOrder.length - keptGroups.length) * valueCount;
  const groupOfRow = (r: unknown[]) => (gi === undefined ? undefined : labelOf(r[gi]));
  const single = kept.length === 1 && gi === undefined;

  if (spec.kind === 'histogram') {
    if (xCol.kind === 'text') return emptyData(spec, `A histogram needs a number or time column on x; ${spec.x} holds text.`);
    const values: { v: number; g?: string }[] = [];
    let skipped = 0;
    for (const r of rows) {
      const v = xValue(xCol, r[xi]);
      if (v === undefined) skipped++;
      else values.push({ v, g: groupOfRow(r) });
    }
    // Sturges' rule: a few wide bins for a few rows, up to HISTOGRAM_BINS for many.
    const target = Math.min(HISTOGRAM_BINS, Math.max(5, Math.ceil(Math.log2(Math.max(1, values.length))) + 1));
    const bins = histogramBins(values.map((p) => p.v), target);
    const series: ChartSeries[] = kept.map((k) => {
      const counts = new Array<number>(bins.length).fill(0);
      for (const p of values) if (k.group === undefined || p.g === k.group) counts[binIndex(bins, p.v)]++;
      return {
        name: k.name,
        points: counts.map((n, i) => ({ x: i, y: n, label: `${binLabel(bins[i], xCol.kind)}${single ? '' : ` · ${k.name}`}: ${n}` })),
      };
    });
    // Grouped histograms stack, so the axis must reach the tallest stack.
    const totals = bins.map((_, i) => series.reduce((t, s) => t + s.points[i].y, 0));
    return {
      kind: 'histogram',
      x: { type: xCol.kind, min: bins[0]?.start ?? 0, max: bins.at(-1)?.end ?? 1 },
      series: series.map((s) => (kept.length === 1 ? { ...s, name: 'count' } : s)),
      yMin: 0,
      yMax: Math.max(1, ...totals),
      yInteger: true,
      xLabel: spec.x,
      yLabel: 'count',
      bins,
      skipped,
      clippedCategories: 0,
      clippedSeries,
    };
  }

  if (ys.length === 0 && spec.agg !== 'count' && spec.kind !== 'scatter') return emptyData(spec, 'Pick a y column, or count rows.');
  if (spec.kind === 'scatter' && ys.length === 0) return emptyData(spec, 'A scatter plot needs a y column.');

  if (spec.kind === 'scatter') {
    const numericX = xCol.kind !== 'text';
    const labels: string[] = [];
    const labelIndex = new Map<string, number>();
    let skipped = 0;
    const series: ChartSeries[] = kept.map((k) => ({ name: k.name, points: [] }));
    for (const r of rows) {
      let x: number | undefined;
      const text = labelOf(r[xi]);
      if (numericX) x = xValue(xCol, r[xi]);
      else {
        if (!labelIndex.has(text)) {
          labelIndex.set(text, labels.length);
          labels.push(text);
        }
        x = labelIndex.get(text);
      }
      const g = groupOfRow(r);
      let used = false;
      kept.forEach((k, si) => {
        if (k.group !== undefined && k.group !== g) return;
        const y = toNumber(r[index.get(k.y ?? '') ?? -1]);
        if (x === undefined || y === undefined) return;
        used = true;
        series[si].points.push({ x, y, label: tooltip(text, k, single, y) });
      });
      if (!used) skipped++;
    }
    return {
      kind: 'scatter',
      x: numericX ? numericAxis(series, xCol.kind === 'time' ? 'time' : 'number') : { type: 'category', labels },
      series,
      ...yRange(series, false),
      yInteger: false,
      xLabel: spec.x,
      yLabel: ys.join(', '),
      skipped,
      clippedCategories: 0,
      clippedSeries,
    };
  }

  // Bar and line: rows sharing an x (and a series) become one value.
  const continuous = spec.kind === 'line' && xCol.kind !== 'text';
  const buckets = new Map<string, { x: unknown; rows: unknown[][] }>();
  let skipped = 0;
  for (const r of rows) {
    const raw = r[xi];
    if (continuous && xValue(xCol, raw) === undefined) {
      skipped++;
      continue;
    }
    const key = continuous ? String(xValue(xCol, raw)) : labelOf(raw);
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { x: raw, rows: [] }));
    b.rows.push(r);
  }
  let order = [...buckets.values()];
  // Numbers and times read left to right in order; text keeps the query's order.
  if (xCol.kind !== 'text') order.sort((a, b) => (xValue(xCol, a.x) ?? 0) - (xValue(xCol, b.x) ?? 0));
  const clippedCategories = continuous ? 0 : Math.max(0, order.length - MAX_CATEGORIES);
  if (!continuous) order = order.slice(0, MAX_CATEGORIES);

  const series: ChartSeries[] = kept.map((k) => {
    const points: ChartPoint[] = [];
    const yi = k.y === undefined ? undefined : index.get(k.y);
    order.forEach((b, i) => {
      const inSeries = k.group === undefined ? b.rows : b.rows.filter((r) => groupOfRow(r) === k.group);
      if (inSeries.length === 0) return;
      const values: number[] = [];
      let counted = 0;
      for (const r of inSeries) {
        const v = yi === undefined ? undefined : toNumber(r[yi]);
        if (v !== undefined) values.push(v);
        if (yi === undefined || (r[yi] !== null && r[yi] !== undefined)) counted++;
      }
      if (spec.agg !== 'count' && values.length === 0) return;
      const y = aggregate(spec.agg, values, counted);
      if (!Number.isFinite(y)) return;
      const x = continuous ? (xValue(xCol, b.x) ?? 0) : i;
      points.push({ x, y, label: tooltip(labelOf(b.x), k, single, y) });
    });
    return { name: k.name, points };
  });
  const x: XAxis = continuous ? numericAxis(series, xCol.kind === 'time' ? 'time' : 'number') : { type: 'category', labels: order.map((b) => labelOf(b.x)) };
  const yLabel = ys.length === 0 ? 'count' : spec.agg === 'sum' && !hasRepeats(order) ? ys.join(', ') : `${spec.agg} of ${ys.join(', ')}`;
  return {
    kind: spec.kind,
    x,
    series,
    ...yRange(series, spec.kind === 'bar'),
    yInteger: spec.agg === 'count' || ys.length === 0,
    xLabel: spec.x,
    yLabel,
    skipped,
    clippedCategories,
    clippedSeries,
  };
}

function hasRepeats(order: readonly { rows: unknown[][] }[]): boolean {
  return order.some((b) => b.rows.length > 1);
}

function numericAxis(series: readonly ChartSeries[], type: 'number' | 'time'): XAxis {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series)
    for (const p of s.points) {
      if (p.x < min) min = p.x;
      if (p.x > max) max = p.x;
    }
  if (!Number.isFinite(min)) return { type, min: 0, max: 1 };
  if (min === max) return { type, min: min - 1, max: max + 1 };
  return { type, min, max };
}

/** A bin as text: numbers as a range, times as their start. */
export function binLabel(bin: Bin, kind: ColumnInfo['kind']): string {
  if (kind === 'time') return `${formatTime(bin.start)} – ${formatTime(bin.end)}`;
  return `${bin.start} – ${bin.end}`;
}

/** A time axis value: a date, with the time of day only when there is one. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

/** An axis number: short, with k/M for large values. */
export function formatAxisNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${clean(v / 1e9)}B`;
  if (a >= 1e6) return `${clean(v / 1e6)}M`;
  if (a >= 1e4) return `${clean(v / 1e3)}k`;
  return String(clean(v));
}
