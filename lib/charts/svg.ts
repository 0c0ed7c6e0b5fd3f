/**
 * ChartData drawn as SVG text, for documents that carry their charts inline (the run
 * report): the same marks, ticks and legend as the page's ChartView, with no script and no
 * request. Every value is escaped, as labels come from query results.
 */
import { clean, formatAxisNumber, type ChartData } from './chart';
import { axisText, chartLayout, H, M, PH, PW, shorten, W } from './layout';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const n2 = (v: number) => String(Math.round(v * 100) / 100);

/** One chart as an `<svg>` element (and a legend when it has several series). */
export function chartSvg(data: ChartData): string {
  const { yTicks, y, baseline, axis, categories, band, x, xTicks, showLabels, tilt, color } = chartLayout(data);
  const title = (label: string) => `<title>${escapeXml(label)}</title>`;
  const marks: string[] = [];

  if (data.kind === 'bar') {
    const n = Math.max(1, data.series.length);
    const group = band * 0.8;
    const w = group / n;
    data.series.forEach((s, si) =>
      s.points.forEach((p) => {
        const left = M.left + band * p.x + (band - group) / 2 + si * w;
        const top = Math.min(y(p.y), baseline);
        marks.push(`<rect x="${n2(left)}" width="${n2(Math.max(1, w - (n > 1 ? 1 : 0)))}" y="${n2(top)}" height="${n2(Math.max(0.5, Math.abs(y(p.y) - baseline)))}" fill="${color(si)}">${title(p.label)}</rect>`);
      }),
    );
  } else if (data.kind === 'histogram' && data.bins) {
    const bins = data.bins;
    const stack = new Array<number>(bins.length).fill(0);
    data.series.forEach((s, si) =>
      s.points.forEach((p) => {
        if (p.y === 0) return;
        const bin = bins[p.x];
        const bottom = stack[p.x];
        stack[p.x] += p.y;
        const left = x(bin.start);
        marks.push(`<rect x="${n2(left + 0.5)}" width="${n2(Math.max(1, x(bin.end) - left - 1))}" y="${n2(y(bottom + p.y))}" height="${n2(Math.max(0.5, y(bottom) - y(bottom + p.y)))}" fill="${color(si)}">${title(p.label)}</rect>`);
      }),
    );
  } else if (data.kind === 'line') {
    data.series.forEach((s, si) => {
      marks.push(`<polyline fill="none" stroke-width="2" stroke="${color(si)}" points="${s.points.map((p) => `${n2(x(p.x))},${n2(y(p.y))}`).join(' ')}"/>`);
      if (s.points.length <= 60) for (const p of s.points) marks.push(`<circle cx="${n2(x(p.x))}" cy="${n2(y(p.y))}" r="3" fill="${color(si)}">${title(p.label)}</circle>`);
    });
  } else {
    data.series.forEach((s, si) => {
      for (const p of s.points) marks.push(`<circle cx="${n2(x(p.x))}" cy="${n2(y(p.y))}" r="3.5" fill="${color(si)}" fill-opacity="0.7">${title(p.label)}</circle>`);
    });
  }

  const parts: string[] = [];
  for (const t of yTicks) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${n2(y(t))}" y2="${n2(y(t))}" stroke="currentColor" opacity="0.12"/>`);
    parts.push(`<text x="${M.left - 6}" y="${n2(y(t) + 3)}" font-size="10" text-anchor="end" fill="currentColor" opacity="0.7">${escapeXml(formatAxisNumber(t))}</text>`);
  }
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${n2(baseline)}" y2="${n2(baseline)}" stroke="currentColor" opacity="0.4"/>`);
  for (const t of xTicks) {
    const at = x(t);
    const anchor = at > W - M.right - 30 ? 'end' : at < M.left + 20 ? 'start' : 'middle';
    parts.push(`<line x1="${n2(at)}" x2="${n2(at)}" y1="${M.top}" y2="${M.top + PH}" stroke="currentColor" opacity="0.06"/>`);
    parts.push(`<text x="${n2(at)}" y="${H - M.bottom + 14}" font-size="10" text-anchor="${anchor}" fill="currentColor" opacity="0.7">${escapeXml(axisText(clean(t), axis))}</text>`);
  }
  if (showLabels) {
    categories.forEach((label, i) => {
      const at = n2(x(i));
      const rotate = tilt ? ` transform="rotate(-30 ${at} ${H - M.bottom + 14})"` : '';
      parts.push(`<text x="${at}" y="${H - M.bottom + 14}" font-size="10" text-anchor="${tilt ? 'end' : 'middle'}"${rotate} fill="currentColor" opacity="0.7">${escapeXml(shorten(label, tilt ? 12 : Math.max(4, Math.floor(band / 6))))}</text>`);
    });
  }
  parts.push(`<text x="${M.left + PW / 2}" y="${H - 4}" font-size="11" text-anchor="middle" fill="currentColor" opacity="0.8">${escapeXml(data.xLabel)}</text>`);
  parts.push(`<text x="12" y="${M.top + PH / 2}" font-size="11" text-anchor="middle" fill="currentColor" opacity="0.8" transform="rotate(-90 12 ${M.top + PH / 2})">${escapeXml(shorten(data.yLabel, 40))}</text>`);
  const legend =
    data.series.length > 1
      ? `<ul class="legend">${data.series.map((s, i) => `<li><span style="background:${color(i)}"></span>${escapeXml(s.name)}</li>`).join('')}</ul>`
      : '';
  return `<div class="chart" data-testid="chart" data-kind="${data.kind}"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="Chart of the results">${parts.join('')}${marks.join('')}</svg>${legend}</div>`;
}
