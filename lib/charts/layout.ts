/**
 * Where a chart's marks and ticks go: the scales and positions shared by the page's
 * ChartView (React) and the report's chartSvg (SVG text), so both draw the same chart.
 */
import { formatAxisNumber, formatTime, niceScale, timeTicks, type ChartData, type XAxis } from './chart';

export const SERIES_COLORS = ['#0ea5e9', '#f97316', '#10b981', '#8b5cf6', '#ef4444', '#eab308', '#14b8a6', '#ec4899', '#64748b', '#84cc16', '#6366f1', '#a16207'];

export const W = 720;
export const H = 260;
export const M = { left: 56, right: 24, top: 12, bottom: 44 };
export const PW = W - M.left - M.right;
export const PH = H - M.top - M.bottom;

export function shorten(s: string, max = 14): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function axisText(v: number, axis: XAxis): string {
  return axis.type === 'time' ? formatTime(v) : formatAxisNumber(v);
}

export interface ChartLayout {
  yTicks: readonly number[];
  /** Vertical position of a y value. */
  y(v: number): number;
  /** Where bars start: zero when the scale holds it, else its nearest end. */
  baseline: number;
  axis: XAxis;
  categories: readonly string[];
  /** Width of one category's slot. */
  band: number;
  /** Horizontal position of an x value (a category's index for category axes). */
  x(v: number): number;
  xTicks: readonly number[];
  showLabels: boolean;
  /** Category labels tilt when there are many. */
  tilt: boolean;
  color(i: number): string;
}

export function chartLayout(data: ChartData): ChartLayout {
  const yScale = niceScale(data.yMin, data.yMax, 5, data.yInteger);
  const y0 = yScale.min;
  const ySpan = yScale.max - y0 || 1;
  const y = (v: number) => M.top + PH - ((v - y0) / ySpan) * PH;
  const axis = data.x;
  const categories = axis.type === 'category' ? axis.labels : [];
  const band = categories.length ? PW / categories.length : PW;
  // Numbers widen to round ends; times and histogram bins keep their own.
  const xScale = axis.type === 'number' && !data.bins ? niceScale(axis.min, axis.max, 6) : undefined;
  const xMin = axis.type === 'category' ? 0 : (xScale?.min ?? axis.min);
  const xSpan = axis.type === 'category' ? 1 : (xScale ? xScale.max - xScale.min : axis.max - axis.min) || 1;
  return {
    yTicks: yScale.ticks,
    y,
    baseline: y(Math.min(Math.max(0, y0), yScale.max)),
    axis,
    categories,
    band,
    x: (v) => (axis.type === 'category' ? M.left + band * (v + 0.5) : M.left + ((v - xMin) / xSpan) * PW),
    xTicks:
      axis.type === 'category'
        ? []
        : axis.type === 'time'
          ? timeTicks(axis.min, axis.max, 5)
          : (xScale?.ticks ?? niceScale(axis.min, axis.max, 6).ticks.filter((t) => t >= axis.min - 1e-9 && t <= axis.max + 1e-9)),
    showLabels: categories.length > 0 && categories.length <= 40,
    tilt: categories.length > 8,
    color: (i) => SERIES_COLORS[i % SERIES_COLORS.length],
  };
}
