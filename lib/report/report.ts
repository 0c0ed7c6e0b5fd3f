/**
 * The run report: one execution as one self-contained HTML file. Inline CSS, charts as
 * inline SVG, no script, no image, no link to fetch: the file opens from disk with the
 * network off and shows the same thing years later. Pure: it renders what it is given
 * (lib/report/gather.ts reads it from stored execution data), so the server's download and
 * `flowbook run --report` write the same file. Known secret values are masked in every
 * text the report shows, as they are in logs.
 */
import type { ExecutionDto, LogLevel, TaskRun } from '../contract';
import { chartData, defaultChartSpec, fitChartSpec, type ChartSpec } from '../charts/chart';
import { describeColumns, type PreviewColumn } from '../charts/columns';
import { chartSvg, escapeXml } from '../charts/svg';

/** What the report shows of a result grid: its first rows, and how many it has in all. */
export const REPORT_GRID_ROWS = 50;
/** Log lines shown per cell; the rest is counted under a marker. */
export const REPORT_LOG_LINES = 200;
/** What stands for a secret value wherever one would appear. */
export const MASK = '******';

export interface ReportCell {
  taskId: string;
  type: string;
  /** The task type in words ("Run a DuckDB query"). */
  title: string;
  explanation: string;
  note?: string;
  /** The cell's code (its editor property), else its YAML. */
  code: string;
  language: string;
  depth: number;
}

export interface ReportLogLine {
  at: string;
  level: LogLevel;
  message: string;
}

export interface ReportLogs {
  /** The first lines, at most REPORT_LOG_LINES. */
  lines: ReportLogLine[];
  /** How many lines the task logged in all. */
  total: number;
}

export interface ReportGrid {
  label: string;
  columns: PreviewColumn[];
  /** The first rows, in column order. */
  rows: unknown[][];
  /** Rows in the whole result, when known. */
  total?: number;
  /**
   * The chart chosen on the page for this result (sent with the download), `null` for
   * "no chart"; absent: the default chart of its columns.
   */
  chart?: ChartSpec | null;
}

export interface ReportInput {
  title: string;
  description?: string;
  execution: ExecutionDto;
  taskRuns: TaskRun[];
  cells: ReportCell[];
  /** By task id; `''` holds the execution's own lines (start, end, queue). */
  logs: Record<string, ReportLogs>;
  /** By task id: the result grids of the cell's latest task run. */
  grids: Record<string, ReportGrid[]>;
  /** Secret values to mask wherever they appear. */
  secrets?: readonly string[];
  /** When the report was made (ISO); shown in the footer. */
  generatedAt?: string;
}

const esc = escapeXml;

function masker(secrets: readonly string[] | undefined): (s: string) => string {
  // Longest first, so a secret that contains another is masked whole.
  const values = [...new Set((secrets ?? []).filter((v) => v.length >= 3))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (s) => s;
  return (s) => values.reduce((text, v) => text.split(v).join(MASK), s);
}

function durationText(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

function spanMs(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined;
  const d = Date.parse(end) - Date.parse(start);
  return Number.isFinite(d) ? d : undefined;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** Very small markdown: paragraphs, `code`, **bold**, *italic*, list items and headings; everything escaped first. */
function markdown(text: string): string {
  const inline = (s: string) =>
    esc(s)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/\*([^*]+)\*/g, '<em>$1</em>');
  const blocks = text.trim().split(/\n\s*\n/);
  return blocks
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => /^\s*[-*]\s+/.test(l))) return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('')}</ul>`;
      const heading = /^(#{1,4})\s+(.*)$/.exec(block);
      if (heading && lines.length === 1) return `<h4>${inline(heading[2])}</h4>`;
      return `<p>${lines.map(inline).join('<br>')}</p>`;
    })
    .join('');
}

function stateBadge(state: string): string {
  return `<span class="state state-${esc(state.toLowerCase())}" data-state="${esc(state)}">${esc(state)}</span>`;
}

function table(rows: [string, string][]): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function gridHtml(grid: ReportGrid, mask: (s: string) => string): string {
  const total = grid.total ?? grid.rows.length;
  const head = grid.columns.map((c) => `<th title="${esc(c.type)}">${esc(mask(c.name))}</th>`).join('');
  const body = grid.rows
    .slice(0, REPORT_GRID_ROWS)
    .map((r) => `<tr>${grid.columns.map((_c, i) => `<td>${esc(mask(cellText(r[i])))}</td>`).join('')}</tr>`)
    .join('');
  const shown = Math.min(grid.rows.length, REPORT_GRID_ROWS);
  const count = `<p class="muted" data-testid="grid-count">${shown < total ? `First ${shown} of ${total} rows` : `${total} row${total === 1 ? '' : 's'}`}</p>`;
  let chart = '';
  if (grid.chart !== null && grid.rows.length > 0) {
    const columns = describeColumns(grid.columns, grid.rows);
    // Without a choice from the page, a default chart is drawn only when there is a value
    // column to plot: counting rows of text (a downloaded file read as one row) says nothing.
    const fallback = defaultChartSpec(columns);
    const spec = grid.chart === undefined ? (fallback && fallback.y.length > 0 ? fallback : undefined) : fitChartSpec(grid.chart, columns);
    if (spec) {
      // The chart is drawn from the rows the report holds, the same first rows as the grid.
      const data = chartData(spec, columns, grid.rows.map((r) => r.map((v) => (typeof v === 'string' ? mask(v) : v))));
      if (!data.problem) chart = chartSvg({ ...data, xLabel: mask(data.xLabel), yLabel: mask(data.yLabel) });
    }
  }
  return `<div class="result" data-testid="result-grid"><h4>${esc(mask(grid.label))}</h4>${chart}<div class="grid"><table class="rows"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${count}</div>`;
}

function logsHtml(logs: ReportLogs | undefined, mask: (s: string) => string): string {
  if (!logs || logs.total === 0) return '';
  const lines = logs.lines
    .slice(0, REPORT_LOG_LINES)
    .map((l) => `<div class="log log-${esc(l.level.toLowerCase())}"><span class="at">${esc(l.at.slice(11, 23))}</span> <span class="lvl">${esc(l.level)}</span> ${esc(mask(l.message))}</div>`)
    .join('');
  const hidden = logs.total - Math.min(logs.lines.length, REPORT_LOG_LINES);
  const marker = hidden > 0 ? `<div class="log-more" data-testid="log-more">… ${hidden} more line${hidden === 1 ? '' : 's'} not shown (${logs.total} in all)</div>` : '';
  return `<details class="logs" data-testid="logs"><summary>Logs (${logs.total} line${logs.total === 1 ? '' : 's'})</summary><div class="loglines">${lines}${marker}</div></details>`;
}

function outputsHtml(outputs: Record<string, unknown> | undefined, hasGrids: boolean, mask: (s: string) => string): string {
  if (!outputs || Object.keys(outputs).length === 0) return '';
  // Rows shown as grids are left out of the raw outputs: the grid shows them.
  const shown = hasGrids ? Object.fromEntries(Object.entries(outputs).filter(([k]) => k !== 'rows' && k !== 'row' && k !== 'outputs')) : outputs;
  if (Object.keys(shown).length === 0) return '';
  let text = JSON.stringify(shown, null, 2);
  if (text.length > 20_000) text = `${text.slice(0, 20_000)}\n… (cut at 20,000 characters)`;
  return `<details class="outputs" open><summary>Outputs</summary><pre>${esc(mask(text))}</pre></details>`;
}

/** The report as one HTML document. */
export function renderReport(input: ReportInput): string {
  const mask = masker(input.secrets);
  const e = input.execution;
  const runsByTask = new Map<string, TaskRun[]>();
  for (const tr of input.taskRuns) runsByTask.set(tr.taskId, [...(runsByTask.get(tr.taskId) ?? []), tr]);
  const title = mask(input.title);

  const facts: [string, string][] = [
    ['Execution', `<code>${esc(e.id)}</code>`],
    ['State', stateBadge(e.state)],
    ['Namespace', esc(mask(e.namespace))],
    ['Started', esc(e.startDate)],
    ['Duration', esc(durationText(e.durationMs ?? spanMs(e.startDate, e.endDate)))],
    ['Run', esc(e.mode === 'all' ? 'whole flow' : `${e.mode} ${e.targetTaskId ?? ''}`.trim())],
  ];
  if (e.triggerDate) facts.push(['Trigger date', `${esc(e.triggerDate)}${e.triggerId ? ` (${esc(e.triggerId)})` : ''}`]);
  if (e.error) facts.push(['Error', esc(mask(e.error))]);
  const labels = Object.entries(e.labels ?? {}).map(([k, v]): [string, string] => [esc(mask(k)), esc(mask(v))]);
  const inputs = Object.entries(e.inputs ?? {}).map(([k, v]): [string, string] => [esc(k), `<code>${esc(mask(typeof v === 'string' ? v : JSON.stringify(v)))}</code>`]);

  const cells = input.cells
    .map((c, i) => {
      const runs = runsByTask.get(c.taskId) ?? [];
      const last = runs[runs.length - 1];
      const state = last ? stateBadge(last.state) : '<span class="state state-none">not run</span>';
      const duration = last ? durationText(spanMs(last.startDate, last.endDate)) : '–';
      const grids = input.grids[c.taskId] ?? [];
      return `<section class="cell" data-testid="report-cell" data-task-id="${esc(c.taskId)}" style="margin-left:${Math.min(c.depth, 6) * 1.25}rem">
<header><span class="num">${i + 1}</span><h3>${esc(c.taskId)}</h3>${state}<span class="muted">${esc(duration)}</span></header>
<p class="type">${esc(c.title)} · <code>${esc(c.type)}</code></p>
${c.note ? `<div class="note">${markdown(mask(c.note))}</div>` : ''}
<details class="explanation"><summary>What this task does</summary><p>${esc(c.explanation)}</p></details>
<pre class="code lang-${esc(c.language)}">${esc(mask(c.code))}</pre>
${last?.error ? `<p class="error">${esc(mask(last.error))}</p>` : ''}
${logsHtml(input.logs[c.taskId], mask)}
${grids.map((g) => gridHtml(g, mask)).join('')}
${outputsHtml(last?.outputs, grids.length > 0, mask)}
</section>`;
    })
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)} · run ${esc(e.id)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="top"><h1>${esc(title)}</h1>${stateBadge(e.state)}</header>
${input.description ? `<div class="description">${markdown(mask(input.description))}</div>` : ''}
<section class="facts"><h2>Run</h2>${table(facts)}</section>
<section class="facts"><h2>Inputs</h2>${table(inputs)}</section>
<section class="facts"><h2>Labels</h2>${table(labels)}</section>
${logsHtml(input.logs[''], mask)}
<h2>Cells</h2>
${cells}
<footer class="muted">Flowbook run report${input.generatedAt ? ` · made ${esc(input.generatedAt)}` : ''}</footer>
</main>
</body>
</html>
`;
}

const CSS = `
:root{color-scheme:light dark;--fg:#1e293b;--bg:#fff;--muted:#64748b;--line:#e2e8f0;--code:#f8fafc}
@media (prefers-color-scheme:dark){:root{--fg:#e2e8f0;--bg:#0f172a;--muted:#94a3b8;--line:#334155;--code:#1e293b}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:980px;margin:0 auto;padding:2rem 1.25rem}h1{margin:0;font-size:1.7rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
h3{margin:0;font-size:1.05rem;font-family:ui-monospace,monospace}h4{margin:.75rem 0 .25rem;font-size:.95rem}
.top{display:flex;gap:.75rem;align-items:center}.muted{color:var(--muted);font-size:.85rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.75rem;overflow:auto;white-space:pre-wrap}
table.kv{border-collapse:collapse}table.kv th{text-align:left;padding:.15rem 1rem .15rem 0;color:var(--muted);font-weight:500}
.cell{border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0}
.cell header{display:flex;gap:.6rem;align-items:center}.num{color:var(--muted);font-size:.8rem}
.type{margin:.25rem 0;color:var(--muted);font-size:.85rem}.note{border-left:3px solid #0ea5e9;padding:.1rem .75rem;margin:.5rem 0}
.state{font-size:.75rem;font-weight:600;padding:.1rem .45rem;border-radius:999px;background:#e2e8f0;color:#334155}
.state-success{background:#dcfce7;color:#166534}.state-failed,.state-killed{background:#fee2e2;color:#991b1b}
.state-warning{background:#fef9c3;color:#854d0e}.state-running,.state-created,.state-queued{background:#e0f2fe;color:#075985}
.error{color:#dc2626;white-space:pre-wrap}details{margin:.5rem 0}summary{cursor:pointer;color:var(--muted)}
.loglines{font-family:ui-monospace,monospace;font-size:.78rem;background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.5rem;max-height:24rem;overflow:auto}
.log{white-space:pre-wrap}.log .at,.log .lvl{color:var(--muted)}.log-error .lvl{color:#dc2626}.log-warn .lvl{color:#ca8a04}.log-more{color:var(--muted);font-style:italic;margin-top:.25rem}
.grid{overflow:auto;max-height:28rem;border:1px solid var(--line);border-radius:6px}
table.rows{border-collapse:collapse;font-size:.82rem;width:100%}table.rows th,table.rows td{border-bottom:1px solid var(--line);padding:.25rem .5rem;text-align:left;white-space:nowrap}
table.rows th{position:sticky;top:0;background:var(--code)}
.chart svg{width:100%;height:auto;max-height:18rem;color:var(--fg)}.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;font-size:.8rem}
.legend span{display:inline-block;width:.65rem;height:.65rem;border-radius:2px;margin-right:.35rem}
footer{margin-top:2rem}
`;
