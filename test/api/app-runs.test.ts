/**
 * Runs through the whole app: a SQL cell (the DuckDB task emits a metric, which needs no
 * write, between its task-run events; every event after it must still be stored), and the
 * FILE input rule for runs started from the browser.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from './harness';
import { preview } from '../../lib/preview';

let app: Awaited<ReturnType<typeof testApp>>;

beforeAll(async () => {
  app = await testApp('sqlite');
});
afterAll(async () => {
  await app.close();
});

it('stores a DuckDB STORE cell run and previews its result a page at a time', async () => {
  const { id } = await app.notebooks.create(`id: duck_results
namespace: test.sql
tasks:
  - id: numbers
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT range AS n, range * 2 AS doubled FROM range(0, 120)
    fetchType: STORE
`);
  const { executionId } = await app.runs.start(id, { mode: 'all' });
  await app.runs.settled(executionId);
  const detail = await app.runs.detail(executionId);
  expect(detail.execution.state).toBe('SUCCESS');
  const run = detail.taskRuns.find((t) => t.taskId === 'numbers')!;
  expect(run.state).toBe('SUCCESS');
  expect(run.outputs).toMatchObject({ size: 120 });
  const uri = String(run.outputs!.uri);
  const page = await preview(app.engine.storage, uri, { offset: 100, limit: 50 });
  expect(page.columns.map((c) => c.name)).toEqual(['n', 'doubled']);
  expect(page.rows).toHaveLength(20);
  expect(page.rows[0]).toEqual([100, 200]);
  expect(page.total).toBe(120);
});

it('refuses a server path as a FILE input: only uploads and storage URIs are accepted', async () => {
  const { id } = await app.notebooks.create(`id: reads_file
namespace: test.sql
inputs:
  - id: data
    type: FILE
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.data }}"
`);
  await expect(app.runs.start(id, { mode: 'all', inputs: { data: '/etc/passwd' } })).rejects.toMatchObject({
    kind: 'unprocessable',
    message: 'input data: upload the file; a path on the server is not accepted here',
  });
  expect(await app.runs.listForNotebook(id)).toEqual([]);
});
