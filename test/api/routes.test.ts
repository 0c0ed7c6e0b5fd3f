/**
 * The API route handlers, called as Next calls them (Request in, Response out), against
 * a real app on SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import type { App } from '../../lib/server/app';
import type { ApiError, CellDto, ExecutionDetailDto, LogDto, NotebookDto, NotebookSummary } from '../../lib/contract';
import { LOG_FLOW, testApp } from './harness';
import * as notebooks from '../../app/api/notebooks/route';
import * as notebook from '../../app/api/notebooks/[id]/route';
import * as cell from '../../app/api/notebooks/[id]/cells/[taskId]/route';
import * as runs from '../../app/api/notebooks/[id]/runs/route';
import * as exportRoute from '../../app/api/notebooks/[id]/export/route';
import * as execution from '../../app/api/executions/[id]/route';
import * as logs from '../../app/api/executions/[id]/logs/route';
import * as download from '../../app/api/executions/[id]/files/download/route';
import * as previewRoute from '../../app/api/executions/[id]/files/preview/route';
import * as secrets from '../../app/api/secrets/route';
import * as secret from '../../app/api/secrets/[key]/route';
import * as settings from '../../app/api/settings/route';
import * as status from '../../app/api/status/route';
import * as kvList from '../../app/api/kv/route';
import * as kvItem from '../../app/api/kv/[namespace]/[key]/route';

let app: App;
beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
});
afterAll(async () => {
  installApp(undefined);
  await app.close();
});

const base = 'http://127.0.0.1:3000';
const params = <T>(p: T) => ({ params: Promise.resolve(p) });
const body = (method: string, value: unknown) => ({ method, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

describe('API routes', () => {
  it('create → 201, bad YAML → 422 with line and column, list, get, update conflict', async () => {
    const created = await notebooks.POST(new Request(`${base}/api/notebooks`, body('POST', { yaml: LOG_FLOW })), params({}));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const bad = await notebooks.POST(new Request(`${base}/api/notebooks`, body('POST', { yaml: 'id: x\nnamespace: test.app\ntasks:\n  - id: "a\n' })), params({}));
    expect(bad.status).toBe(422);
    const err = (await bad.json()) as ApiError;
    expect(err.issues?.[0].pos).toEqual({ line: expect.any(Number), column: expect.any(Number) });

    const missing = await notebooks.POST(new Request(`${base}/api/notebooks`, body('POST', { nope: 1 })), params({}));
    expect(missing.status).toBe(400);

    const list = (await (await notebooks.GET(new Request(`${base}/api/notebooks?q=logs`), params({}))).json()) as NotebookSummary[];
    expect(list.map((n) => n.id)).toEqual([id]);

    const got = (await (await notebook.GET(new Request(`${base}/api/notebooks/${id}`), params({ id }))).json()) as NotebookDto;
    expect(got.cells.map((c: CellDto) => c.taskId)).toEqual(['first', 'second', 'third']);

    const stale = await notebook.PUT(new Request(`${base}/api/notebooks/${id}`, body('PUT', { yaml: LOG_FLOW, version: 7 })), params({ id }));
    expect(stale.status).toBe(409);

    const notFound = await notebook.GET(new Request(`${base}/api/notebooks/nope`), params({ id: 'nope' }));
    expect(notFound.status).toBe(404);
  });

  it('refuses a cell save made on a version that is no longer the notebook\'s (409), instead of losing the other save', async () => {
    const { id } = await app.notebooks.create(LOG_FLOW);
    const { version } = await app.notebooks.get(id);
    const save = (code: string, v: number | undefined) =>
      cell.PATCH(new Request(`${base}/x`, body('PATCH', v === undefined ? { code } : { code, version: v })), params({ id, taskId: 'third' }));

    // Two pages opened the same version; the first save wins, the second is refused.
    const first = await save('from the first page', version);
    expect(first.status).toBe(200);
    const saved = (await first.json()) as NotebookDto;
    expect(saved.version).toBe(version + 1);
    const second = await save('from the second page', version);
    expect(second.status).toBe(409);
    expect(((await second.json()) as ApiError).error).toContain('saved elsewhere');
    expect((await app.notebooks.get(id)).yaml).toContain('message: from the first page');

    // "Keep mine": the same text on the version the page now knows is saved.
    const kept = await save('from the second page', saved.version);
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as NotebookDto).yaml).toContain('message: from the second page');

    // A code or source save must say which version it edited.
    expect((await save('no version', undefined)).status).toBe(400);
    const source = await cell.PATCH(new Request(`${base}/x`, body('PATCH', { source: 'id: third\ntype: io.kestra.plugin.core.log.Log\nmessage: x' })), params({ id, taskId: 'third' }));
    expect(source.status).toBe(400);
    // Both saves in flight on the same version: one wins, the other is refused, none is lost silently.
    const { version: now } = await app.notebooks.get(id);
    const racing = await Promise.all([save('race a', now), save('race b', now)]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('edits a cell, runs, reads the execution and its logs after a seq, exports', async () => {
    const { id } = await app.notebooks.create(LOG_FLOW);
    const patched = await cell.PATCH(new Request(`${base}/x`, body('PATCH', { code: 'third, via the API', version: 1 })), params({ id, taskId: 'third' }));
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as NotebookDto).yaml).toContain('message: third, via the API');

    const refused = await runs.POST(new Request(`${base}/x`, body('POST', { mode: 'cell', taskId: 'second' })), params({ id }));
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ missingTaskId: 'first', error: expect.stringContaining('run cell first first') });

    const started = await runs.POST(new Request(`${base}/x`, body('POST', { mode: 'all' })), params({ id }));
    expect(started.status).toBe(202);
    const { executionId } = (await started.json()) as { executionId: string };
    await app.runs.settled(executionId);

    const detail = (await (await execution.GET(new Request(`${base}/x`), params({ id: executionId }))).json()) as ExecutionDetailDto;
    expect(detail.execution.state).toBe('SUCCESS');
    const all = (await (await logs.GET(new Request(`${base}/x`), params({ id: executionId }))).json()) as LogDto[];
    const tail = (await (await logs.GET(new Request(`${base}/x?after=2`), params({ id: executionId }))).json()) as LogDto[];
    expect(tail).toEqual(all.slice(2));
    expect(all.map((l) => l.message)).toContain('third, via the API');

    const { id: withInput } = await app.notebooks.create(`id: typed
namespace: test.app
inputs:
  - id: count
    type: INT
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.count }}"
`);
    const badInput = await runs.POST(new Request(`${base}/x`, body('POST', { mode: 'all', inputs: { count: 'many' } })), params({ id: withInput }));
    expect(badInput.status).toBe(422);
    expect(await badInput.json()).toMatchObject({ inputId: 'count', error: expect.stringContaining('count') });
    expect(await app.runs.listForNotebook(withInput)).toEqual([]);

    const exported = await exportRoute.GET(new Request(`${base}/x?download=1`), params({ id }));
    expect(exported.headers.get('content-disposition')).toContain('attachment; filename="test.app.logs.yaml"');
    expect(await exported.text()).toBe((await app.notebooks.get(id)).yaml);
  });

  it('serves only files that the execution produced, never a path from the request', async () => {
    const { id } = await app.notebooks.create(`id: files
namespace: test.app
tasks:
  - id: write
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    outputFiles:
      - out.txt
      - table.csv
    commands:
      - echo "file body" > out.txt
      - printf 'name,n\\nb,2\\na,1\\nc,3\\n' > table.csv
`);
    const { executionId } = await app.runs.start(id, { mode: 'all' });
    await app.runs.settled(executionId);
    const detail = await app.runs.detail(executionId);
    const uri = (detail.taskRuns[0].outputs?.outputFiles as Record<string, string>)['out.txt'];
    expect(uri).toMatch(/^kestra:\/\/\//);

    const ok = await download.GET(new Request(`${base}/x?uri=${encodeURIComponent(uri)}`), params({ id: executionId }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('file body\n');
    expect(ok.headers.get('content-disposition')).toContain('attachment');

    const prefix = uri.slice(0, uri.lastIndexOf('/'));
    for (const evil of [`${prefix}/../../../../secret.key`, `${prefix}/%2e%2e/x`, `${prefix}%2F..%2Fx`, 'kestra:///etc/passwd', `${uri}.bak`, `${prefix}/out.txt`]) {
      const res = await download.GET(new Request(`${base}/x?uri=${encodeURIComponent(evil)}`), params({ id: executionId }));
      expect(res.status, evil).toBeGreaterThanOrEqual(400);
    }
    const csv = (detail.taskRuns[0].outputs?.outputFiles as Record<string, string>)['table.csv'];
    const page = await previewRoute.GET(new Request(`${base}/x?uri=${encodeURIComponent(csv)}&sort=n&dir=desc&limit=2`), params({ id: executionId }));
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ columns: [{ name: 'name' }, { name: 'n' }], rows: [['c', 3], ['b', 2]], total: 3, offset: 0, limit: 2, format: 'csv' });
    const badSort = await previewRoute.GET(new Request(`${base}/x?uri=${encodeURIComponent(csv)}&sort=nope`), params({ id: executionId }));
    expect(badSort.status).toBe(422);

    const otherExecution = await download.GET(new Request(`${base}/x?uri=${encodeURIComponent(uri)}`), params({ id: 'someone-else' }));
    expect(otherExecution.status).toBe(404);
  });

  it('secrets: PUT stores, GET lists names only; settings: host aliases round trip; status', async () => {
    const put = await secret.PUT(new Request(`${base}/x`, body('PUT', { value: 's3cr3t-value' })), params({ key: 'API_KEY' }));
    expect(put.status).toBe(200);
    const listText = await (await secrets.GET(new Request(`${base}/x`), params({}))).text();
    expect(listText).toContain('API_KEY');
    expect(listText).not.toContain('s3cr3t-value');
    const badName = await secret.PUT(new Request(`${base}/x`, body('PUT', { value: 'v' })), params({ key: '../x' }));
    expect(badName.status).toBe(422);

    const saved = await settings.PUT(new Request(`${base}/x`, body('PUT', { hostAliases: { pgdatabase: '127.0.0.1:5433' } })), params({}));
    expect(await saved.json()).toMatchObject({ hostAliases: { pgdatabase: '127.0.0.1:5433' } });
    expect(app.settings.hostAliases.rewriteUrl('jdbc:postgresql://pgdatabase:5432/ny_taxi')).toBe('jdbc:postgresql://127.0.0.1:5433/ny_taxi');
    const badAlias = await settings.PUT(new Request(`${base}/x`, body('PUT', { hostAliases: { x: 'h:99999' } })), params({}));
    expect(badAlias.status).toBe(422);

    const putKv = await kvItem.PUT(new Request(`${base}/x`, body('PUT', { value: { n: 1 } })), params({ namespace: 'zoomcamp.kv', key: 'GCP_PROJECT' }));
    expect(putKv.status).toBe(200);
    const all = await (await kvList.GET(new Request(`${base}/api/kv`), params({}))).json();
    expect(all).toEqual([expect.objectContaining({ namespace: 'zoomcamp.kv', key: 'GCP_PROJECT', value: { n: 1 }, type: 'JSON' })]);
    const one = await (await kvList.GET(new Request(`${base}/api/kv?namespace=other`), params({}))).json();
    expect(one).toEqual([]);
    expect((await kvItem.DELETE(new Request(`${base}/x`), params({ namespace: 'zoomcamp.kv', key: 'GCP_PROJECT' }))).status).toBe(200);
    expect((await kvItem.DELETE(new Request(`${base}/x`), params({ namespace: 'zoomcamp.kv', key: 'GCP_PROJECT' }))).status).toBe(404);

    const st = await (await status.GET(new Request(`${base}/x`), params({}))).json();
    expect(st).toMatchObject({ database: 'sqlite', docker: { ok: expect.any(Boolean) } });
  });
});
