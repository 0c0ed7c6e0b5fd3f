import { expect, test, type TestInfo } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HomePage } from './pages/HomePage';
import { NotebookPage, type CellObject } from './pages/NotebookPage';

const SHOTS = '/tmp/flowbook-shots';
const helloWorld = fs.readFileSync(new URL('../flows/01_hello_world.yaml', import.meta.url), 'utf8');

/** A cell with its stale badge, into test-results and into /tmp/flowbook-shots under a name that says which reason it shows. */
async function shot(cell: CellObject, name: string, testInfo: TestInfo) {
  const file = testInfo.outputPath(`${name}.png`);
  await cell.root.scrollIntoViewIfNeeded();
  await cell.root.screenshot({ path: file });
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.copyFileSync(file, path.join(SHOTS, `${name}.png`));
}

/** Saves the whole notebook YAML as the server keeps it, then reloads the page: edits of flow-level parts. */
async function saveYaml(nb: NotebookPage, edit: (yaml: string) => string) {
  const id = /\/notebooks\/([^/?#]+)/.exec(nb.page.url())?.[1] ?? '';
  const current = (await (await nb.page.request.get(`/api/notebooks/${id}`)).json()) as { yaml: string; version: number };
  const res = await nb.page.request.put(`/api/notebooks/${id}`, { data: { yaml: edit(current.yaml), version: current.version } });
  expect(res.ok()).toBe(true);
  await nb.page.reload();
}

test('01_hello_world: an edit marks exactly the cells that depend on it, and "Run stale cells" clears them', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(helloWorld);
  // A server started in development mode compiles the notebook page on first use.
  await page.waitForURL(/\/notebooks\//, { timeout: 120_000 });
  await expect(page.getByTestId('flow-id')).toBeVisible({ timeout: 120_000 });
  const nb = new NotebookPage(page);
  await nb.expectOpen('01_hello_world');

  // Run all (the flow sleeps 15 s): afterwards nothing is stale and there is nothing to run.
  await nb.runAll.click();
  await expect(nb.cell('goodbye_message').root).toHaveAttribute('data-state', 'SUCCESS', { timeout: 90_000 });
  await expect(nb.staleMarkers).toHaveCount(0);
  await expect(nb.runStale).toBeDisabled();

  // Edit generate_output: as soon as the edit is saved, log_output (which uses its output) goes stale, goodbye_message does not.
  const generate = nb.cell('generate_output');
  const logOutput = nb.cell('log_output');
  await generate.replaceCode('I was edited by a student.');
  await expect(logOutput.staleMarker).toHaveText('stale: generate_output changed since this cell ran');
  await expect(generate.staleMarker).toHaveText('stale: this cell changed since it ran');
  expect(await nb.staleCellIds()).toEqual(['generate_output', 'log_output']);
  await expect(nb.cell('goodbye_message').staleMarker).toHaveCount(0);
  await expect(nb.runStale).toContainText('2');
  await shot(generate, 'stale-1-own-text-changed', testInfo);
  await shot(logOutput, 'stale-2-upstream-changed', testInfo);
  await page.screenshot({ path: testInfo.outputPath('stale-after-edit-page.png'), fullPage: true });

  // Run stale cells: generate_output, then log_output with its new output; nothing stale after.
  await nb.runStale.click();
  await expect(logOutput.logLine('This is an output: I was edited by a student.')).toBeVisible({ timeout: 60_000 });
  await expect(nb.staleMarkers).toHaveCount(0);
  await logOutput.expectState('SUCCESS');

  // Running generate_output again makes log_output stale again, for that reason.
  await generate.run();
  await expect(logOutput.staleMarker).toHaveText('stale: generate_output ran again');
  expect(await nb.staleCellIds()).toEqual(['log_output']);
  await shot(logOutput, 'stale-3-upstream-ran-again', testInfo);
  await nb.runStale.click();
  await expect(nb.staleMarkers).toHaveCount(0);

  // A new name typed into the inputs form (kept for the notebook) marks the cells that read it.
  await nb.input('name').fill('Ana');
  await expect(nb.cell('goodbye_message').staleMarker).toHaveText('stale: input name changed');
  await expect(nb.cell('hello_message').staleMarker).toHaveText('stale: input name changed');
  expect(await nb.staleCellIds()).toEqual(['hello_message', 'goodbye_message']);
  await shot(nb.cell('goodbye_message'), 'stale-4-input-changed', testInfo);
  await nb.runStale.click();
  await expect(nb.cell('goodbye_message').logLine('Goodbye, Ana!')).toBeVisible({ timeout: 60_000 });
  await expect(nb.staleMarkers).toHaveCount(0);

  // Flow-level parts: a variable, then the pluginDefaults for Log.
  await saveYaml(nb, (y) => y.replace('welcome_message: "Hello, {{ inputs.name }}!"', 'welcome_message: "Welcome, {{ inputs.name }}!"'));
  await expect(nb.cell('hello_message').staleMarker).toHaveText('stale: variable welcome_message changed');
  expect(await nb.staleCellIds()).toEqual(['hello_message']);
  await shot(nb.cell('hello_message'), 'stale-5-variable-changed', testInfo);
  await saveYaml(nb, (y) => y.replace('level: ERROR', 'level: WARN'));
  await expect(nb.cell('goodbye_message').staleMarker).toHaveText('stale: plugin defaults for io.kestra.plugin.core.log.Log changed');
  expect(await nb.staleCellIds()).toEqual(['hello_message', 'log_output', 'goodbye_message']);
  await shot(nb.cell('goodbye_message'), 'stale-6-plugin-defaults-changed', testInfo);
  await nb.runStale.click();
  await expect(nb.cell('goodbye_message').logLine('Goodbye, Ana!')).toHaveCount(1);
  await expect(nb.staleMarkers).toHaveCount(0, { timeout: 60_000 });
});

test('cells linked by a table go stale when its writer runs again; a script falls back to order and says so', async ({ page }, testInfo) => {
  const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-stale-')), 'shop.duckdb');
  const flow = `id: stale_tables
namespace: e2e
description: A table written by one cell and read by the next, then a script.

tasks:
  - id: load_sales
    type: io.kestra.plugin.jdbc.duckdb.Queries
    url: jdbc:duckdb:${dbFile}
    sql: CREATE OR REPLACE TABLE sales AS SELECT range AS n FROM range(5)

  - id: total_sales
    type: io.kestra.plugin.jdbc.duckdb.Query
    url: jdbc:duckdb:${dbFile}
    sql: SELECT sum(n) AS total FROM sales
    fetchType: FETCH_ONE

  - id: export_report
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - echo "report written"
`;
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(flow);
  await page.waitForURL(/\/notebooks\//, { timeout: 120_000 });
  await expect(page.getByTestId('flow-id')).toBeVisible({ timeout: 120_000 });
  const nb = new NotebookPage(page);
  await nb.expectOpen('stale_tables');
  await nb.runAll.click();
  await nb.cell('export_report').expectState('SUCCESS');
  await expect(nb.staleMarkers).toHaveCount(0);

  await nb.cell('load_sales').run();
  await expect(nb.cell('total_sales').staleMarker).toHaveText('stale: load_sales ran again (writes sales, which this cell reads)');
  await expect(nb.cell('export_report').staleMarker).toHaveText('stale: may depend on earlier cells (its effects cannot be analysed): load_sales ran again');
  expect(await nb.staleCellIds()).toEqual(['total_sales', 'export_report']);
  await shot(nb.cell('total_sales'), 'stale-7-table-writer-ran-again', testInfo);
  await shot(nb.cell('export_report'), 'stale-8-script-falls-back-to-order', testInfo);
  await page.screenshot({ path: testInfo.outputPath('stale-tables-page.png'), fullPage: true });

  await nb.runStale.click();
  await expect(nb.staleMarkers).toHaveCount(0, { timeout: 60_000 });
  await nb.cell('export_report').expectState('SUCCESS');
});
