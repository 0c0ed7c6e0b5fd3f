/**
 * The run report from both ends: the download route over a stored execution (a stored
 * DuckDB result read back, a saved secret masked, logs capped), and `flowbook run --report`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import type { App } from '../../lib/server/app';
import { testApp } from '../api/harness';
import { runCli } from '../support/cli';
import * as reportRoute from '../../app/api/executions/[id]/report/route';

const FLOW = `id: report_route
namespace: test.report
description: Brands and prices.
tasks:
  - id: chatty
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - for i in $(seq 1 450); do echo "line $i {{ secret('REPORT_KEY') }}"; done
  - id: query
    type: io.kestra.plugin.jdbc.duckdb.Queries
    sql: |
      SELECT 'acme' AS brand, 12.5 AS avg_price UNION ALL SELECT 'zeta', 3.25;
    fetchType: STORE
`;

let app: App;
let dir: string;
beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-report-'));
});
afterAll(async () => {
  installApp(undefined);
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/executions/:id/report', () => {
  it('downloads one self-contained HTML file with the stored grid, its chart, capped logs and masked secrets', async () => {
    await app.secrets.set('REPORT_KEY', 'very-secret-value-42');
    const { id } = await app.notebooks.create(FLOW);
    const { executionId } = await app.runs.start(id, { mode: 'all' });
    await app.runs.settled(executionId);
    const res = await reportRoute.GET(new Request(`http://127.0.0.1:3000/api/executions/${executionId}/report`), { params: Promise.resolve({ id: executionId }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-disposition')).toContain(`report_route-${executionId}-report.html`);
    const html = await res.text();
    expect(html).toContain('Brands and prices.');
    expect(html).toContain('acme');
    expect(html).toContain('2 rows');
    expect(html).toMatch(/data-testid="chart" data-kind="bar"/);
    expect(html).toMatch(/more lines? not shown \(\d+ in all\)/);
    expect(html).not.toContain('very-secret-value-42');
  });

  it('answers 404 for an unknown execution, and leaves the chart out when the page turned it off', async () => {
    const missing = await reportRoute.GET(new Request('http://127.0.0.1:3000/api/executions/nope/report'), { params: Promise.resolve({ id: 'nope' }) });
    expect(missing.status).toBe(404);
    const { id } = await app.notebooks.create(FLOW.replace('report_route', 'report_route_2'));
    const { executionId } = await app.runs.start(id, { mode: 'cell', taskId: 'query' });
    await app.runs.settled(executionId);
    const charts = encodeURIComponent(JSON.stringify({ query: { 'statement-1': null } }));
    const res = await reportRoute.GET(new Request(`http://127.0.0.1:3000/api/executions/${executionId}/report?charts=${charts}`), { params: Promise.resolve({ id: executionId }) });
    const html = await res.text();
    expect(html).toContain('acme');
    expect(html).not.toContain('data-testid="chart"');
  });
});

describe('flowbook run --report', () => {
  it('writes the same report headless', async () => {
    const flow = path.join(dir, 'flow.yaml');
    fs.writeFileSync(flow, FLOW);
    const out = path.join(dir, 'out.html');
    const r = await runCli(['run', flow, '--storage', path.join(dir, 'data'), '--report', out], { SECRET_REPORT_KEY: Buffer.from('cli-secret-value-77').toString('base64') });
    expect(r.code).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('<h1>report_route</h1>');
    expect(html).toContain('zeta');
    expect(html).toMatch(/data-testid="chart"/);
    expect(html).toContain('more lines not shown (450 in all)');
    expect(html).not.toContain('cli-secret-value-77');
  });
});
