import { describe, expect, it } from 'vitest';
import type { ExecutionDto, TaskRun } from '../contract';
import { gatherReport, parseReportCharts } from './gather';
import { MASK, REPORT_LOG_LINES, renderReport, type ReportLogs } from './report';

const YAML = `id: report_flow
namespace: demo
description: Averages <per> brand.
tasks:
  # %% [markdown]
  # Reads **every** product.
  - id: query
    type: io.kestra.plugin.jdbc.duckdb.Queries
    sql: SELECT brand, avg_price FROM t
  - id: shout
    type: io.kestra.plugin.core.log.Log
    message: loud
`;

const execution: ExecutionDto = {
  id: 'ex1', notebookId: 'nb', namespace: 'demo', flowId: 'report_flow', state: 'SUCCESS', mode: 'all',
  labels: { course: 'zoomcamp' }, inputs: { token: 'hunter2-secret' }, startDate: '2026-01-01T10:00:00.000Z', endDate: '2026-01-01T10:00:02.500Z', durationMs: 2500,
  triggerDate: '2026-01-01T09:00:00Z', triggerId: 'daily',
};
const taskRuns: TaskRun[] = [
  { id: 't1', executionId: 'ex1', taskId: 'query', state: 'SUCCESS', attempt: 1, startDate: '2026-01-01T10:00:00.000Z', endDate: '2026-01-01T10:00:01.250Z', outputs: { outputs: [{ uri: 'kestra:///r.ion', size: 3 }] } },
  { id: 't2', executionId: 'ex1', taskId: 'shout', state: 'SUCCESS', attempt: 1, startDate: '2026-01-01T10:00:01.250Z', endDate: '2026-01-01T10:00:02.000Z', outputs: {} },
];

function source(extra: { charts?: Record<string, Record<string, null>> } = {}) {
  const shout: ReportLogs = { lines: Array.from({ length: REPORT_LOG_LINES }, (_, i) => ({ at: '2026-01-01T10:00:01.300Z', level: 'INFO' as const, message: `line ${i} hunter2-secret` })), total: 5000 };
  return {
    execution,
    taskRuns,
    flowYaml: YAML,
    logs: async (taskId: string | null): Promise<ReportLogs> => (taskId === 'shout' ? shout : { lines: [], total: 0 }),
    readStored: async () => ({ columns: [{ name: 'brand', type: 'VARCHAR' }, { name: 'avg_price', type: 'DOUBLE' }], rows: [['<script>x</script>', 3.5], ['b', 7], ['c', 1]], total: 3 }),
    secrets: ['hunter2-secret'],
    ...extra,
  };
}

describe('run report', () => {
  it('holds the flow, run facts, each cell with note, code, state and duration, and its result grid and chart', async () => {
    const html = renderReport(await gatherReport(source()));
    expect(html).toContain('<h1>report_flow</h1>');
    expect(html).toContain('Averages &lt;per&gt; brand.');
    expect(html).toContain('2026-01-01T09:00:00Z (daily)');
    expect(html).toContain('zoomcamp');
    expect(html).toContain('<strong>every</strong>');
    expect(html).toContain('SELECT brand, avg_price FROM t');
    expect(html).toContain('1.25 s');
    expect(html).toMatch(/data-testid="result-grid"/);
    expect(html).toContain('3 rows');
    expect(html).toMatch(/data-testid="chart" data-kind="bar"><svg/);
    expect((html.match(/<rect /g) ?? []).length).toBe(3);
  });

  it('escapes result values, masks secrets, caps logs with a marker, and refers to nothing outside the file', async () => {
    const html = renderReport(await gatherReport(source()));
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('hunter2-secret');
    expect(html).toContain(MASK);
    expect((html.match(/class="log log-info"/g) ?? []).length).toBe(REPORT_LOG_LINES);
    expect(html).toContain(`${5000 - REPORT_LOG_LINES} more lines not shown (5000 in all)`);
    // No external resource of any kind: no src, no link, no url(), no import.
    expect(html).not.toMatch(/\ssrc=|<link|url\(|@import|<iframe|<img|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('draws no chart for a result whose chart the page turned off', async () => {
    const html = renderReport(await gatherReport(source({ charts: { query: { 'statement-1': null } } })));
    expect(html).toMatch(/data-testid="result-grid"/);
    expect(html).not.toContain('data-testid="chart"');
  });

  it('reads the chart choices a download sends, dropping what it cannot read', () => {
    expect(parseReportCharts(JSON.stringify({ q: { result: { kind: 'line', x: 'a', y: ['b'], agg: 'avg' }, bad: { kind: 'pie', x: 'a', y: [] }, off: null } }))).toEqual({
      q: { result: { kind: 'line', x: 'a', y: ['b'], agg: 'avg', group: undefined }, off: null },
    });
    expect(parseReportCharts('{nope')).toBeUndefined();
    expect(parseReportCharts(null)).toBeUndefined();
  });
});
