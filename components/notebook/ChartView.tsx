/**
 * Draws ChartData as plain SVG: bars (grouped), lines, points or stacked histogram bins,
 * with round ticks and a legend. Hovering a mark shows its value (an SVG <title>).
 * Only marks are <rect>s, so a chart's bars can be counted.
 */
import type { ReactNode } from 'react';
import { clean, formatAxisNumber, type ChartData } from '@/lib/client/chart';
import { axisText, chartLayout, H, M, PH, PW, shorten, W } from '@/lib/client/chart-layout';

export function ChartView({ data }: { data: ChartData }) {
  const { yTicks, y, baseline, axis, categories, band, x, xTicks, showLabels, tilt, color } = chartLayout(data);
  const marks: ReactNode[] = [];

  if (data.kind === 'bar') {
    const n = Math.max(1, data.series.length);
    const group = band * 0.8;
    const w = group / n;
    data.series.forEach((s, si) =>
      s.points.forEach((p) => {
        const left = M.left + band * p.x + (band - group) / 2 + si * w;
        const top = Math.min(y(p.y), baseline);
        marks.push(
          <rect key={`${si}-${p.x}`} x={left} width={Math.max(1, w - (n > 1 ? 1 : 0))} y={top} height={Math.max(0.5, Math.abs(y(p.y) - baseline))} fill={color(si)}>
            <title>{p.label}</title>
          </rect>,
        );
      }),
    );
  } else if (data.kind === 'histogram' && data.bins) {
    const stack = new Array<number>(data.bins.length).fill(0);
    data.series.forEach((s, si) =>
      s.points.forEach((p) => {
        if (p.y === 0) return;
        const bin = data.bins![p.x];
        const bottom = stack[p.x];
        stack[p.x] += p.y;
        const left = x(bin.start);
        marks.push(
          <rect key={`${si}-${p.x}`} x={left + 0.5} width={Math.max(1, x(bin.end) - left - 1)} y={y(bottom + p.y)} height={Math.max(0.5, y(bottom) - y(bottom + p.y))} fill={color(si)}>
            <title>{p.label}</title>
          </rect>,
        );
      }),
    );
  } else if (data.kind === 'line') {
    data.series.forEach((s, si) => {
      marks.push(<polyline key={`l${si}`} fill="none" strokeWidth={2} stroke={color(si)} points={s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')} />);
      if (s.points.length <= 60)
        s.points.forEach((p, pi) =>
          marks.push(
            <circle key={`c${si}-${pi}`} cx={x(p.x)} cy={y(p.y)} r={3} fill={color(si)}>
              <title>{p.label}</title>
            </circle>,
          ),
        );
    });
  } else {
    data.series.forEach((s, si) =>
      s.points.forEach((p, pi) =>
        marks.push(
          <circle key={`${si}-${pi}`} cx={x(p.x)} cy={y(p.y)} r={3.5} fill={color(si)} fillOpacity={0.7}>
            <title>{p.label}</title>
          </circle>,
        ),
      ),
    );
  }

  return (
    <div data-testid="chart" data-kind={data.kind}>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-64 w-full" role="img" aria-label="Chart of the results">
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="currentColor" opacity={0.12} />
            <text x={M.left - 6} y={y(t) + 3} fontSize={10} textAnchor="end" fill="currentColor" opacity={0.7}>
              {formatAxisNumber(t)}
            </text>
          </g>
        ))}
        <line x1={M.left} x2={W - M.right} y1={baseline} y2={baseline} stroke="currentColor" opacity={0.4} />
        {xTicks.map((t) => {
          // Labels at the plot's ends stay inside the picture.
          const at = x(t);
          const anchor = at > W - M.right - 30 ? 'end' : at < M.left + 20 ? 'start' : 'middle';
          return (
            <g key={`x${t}`}>
              <line x1={at} x2={at} y1={M.top} y2={M.top + PH} stroke="currentColor" opacity={0.06} />
              <text x={at} y={H - M.bottom + 14} fontSize={10} textAnchor={anchor} fill="currentColor" opacity={0.7}>
                {axisText(clean(t), axis)}
              </text>
            </g>
          );
        })}
        {showLabels &&
          categories.map((label, i) => (
            <text
              key={`c${i}`}
              x={x(i)}
              y={H - M.bottom + 14}
              fontSize={10}
              textAnchor={tilt ? 'end' : 'middle'}
              transform={tilt ? `rotate(-30 ${x(i)} ${H - M.bottom + 14})` : undefined}
              fill="currentColor"
              opacity={0.7}
            >
              {shorten(label, tilt ? 12 : Math.max(4, Math.floor(band / 6)))}
            </text>
          ))}
        <text x={M.left + PW / 2} y={H - 4} fontSize={11} textAnchor="middle" fill="currentColor" opacity={0.8}>
          {data.xLabel}
        </text>
        <text x={12} y={M.top + PH / 2} fontSize={11} textAnchor="middle" fill="currentColor" opacity={0.8} transform={`rotate(-90 12 ${M.top + PH / 2})`}>
          {shorten(data.yLabel, 40)}
        </text>
        {marks}
      </svg>
      {data.series.length > 1 && (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 px-1 text-xs" aria-label="Legend" data-testid="chart-legend">
          {data.series.map((s, i) => (
            <li key={s.name} className="flex items-center gap-1.5">
              <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: color(i) }} />
              {s.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
