import fs from 'node:fs';
import net from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { startFixtureServer, type FixtureServer } from '../test/support/fixture-server';

/** Screenshots for people to look at, beside the test report's own. */
const SHOTS = '/tmp/flowbook-shots';
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

const keptInputsFlow = `id: kept_inputs
namespace: e2e
description: Inputs typed here are kept for the notebook.

inputs:
  - id: taxi
    type: SELECT
    values: [yellow, green]
    defaults: yellow
  - id: year
    type: INT
    defaults: 2019
  - id: note
    type: STRING
    required: false
  - id: data
    type: FILE
    required: false

tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.taxi }} {{ inputs.year }} {{ inputs.note }}"
  - id: count
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    inputFiles:
      data.csv: "{{ inputs.data }}"
    commands:
      - echo "lines=$(wc -l < data.csv)"
`;

const failingPythonFlow = `id: python_error
namespace: e2e

tasks:
  - id: notes
    type: io.kestra.plugin.core.log.Log
    message: "first line of a long note\\nsecond line, which wraps onto its own row in the log instead of running over the line below it, however narrow the log is\\nthird line"
  - id: divide
    type: io.kestra.plugin.scripts.python.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    script: |
      import json
      rows = [1, 2, 3]
      print("total", sum(rows) / 0)
`;

let fixtures: FixtureServer;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    // Below the ephemeral range, so nothing else takes it between here and PostgreSQL's bind.
    srv.listen(20_000 + Math.floor(Math.random() * 10_000), '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function openSample(page: Page, flowId: string): Promise<NotebookPage> {
  const home = new HomePage(page);
  await home.goto();
  await home.item(flowId).getByRole('link').first().click();
  const nb = new NotebookPage(page);
  await nb.expectOpen(flowId);
  return nb;
}

const SOURCE_URL = 'Where the monthly CSV files are downloaded from';

test.use({ timezoneId: 'UTC' });
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  fixtures = await startFixtureServer({ rowsPerMonth: 25 });
});
test.afterAll(async () => {
  await fixtures?.close();
});

test('the home page lists the sample flows in order with their descriptions, and names a duplicate "(copy)"', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  const titles = page.getByTestId('notebook-title');
  await expect(titles.first()).toHaveText('01_hello_world');
  expect((await titles.allTextContents()).slice(0, 5)).toEqual([
    '01_hello_world',
    '02_python',
    '03_getting_started_data_pipeline',
    '04_postgres_taxi',
    '05_postgres_taxi_scheduled',
  ]);
  // Markdown, not raw text: the backticks of 05's description are code.
  await expect(home.item('05_postgres_taxi_scheduled').locator('code')).toHaveText('backfill:true');
  await home.item('01_hello_world').getByRole('button', { name: 'Duplicate 01_hello_world' }).click();
  await expect(titles.nth(1)).toHaveText('01_hello_world (copy)');
  await shot(page, 'home-flow-order-markdown-copy');
  // The favicon is served (and needs no token).
  expect((await page.request.get('/favicon.ico')).status()).toBe(200);
});

test('inputs survive a reload, the uploaded file too, and Reset to defaults restores the YAML defaults', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(keptInputsFlow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('kept_inputs');
  const saved = page.getByTestId('inputs-save');

  await nb.input('taxi').selectOption('green');
  await nb.input('year').fill('2020');
  await nb.input('note').fill('kept across reloads');
  await nb.input('data').setInputFiles({ name: 'trips.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3,4\n') });
  await expect(page.getByTestId('file-input-status')).toContainText('uploaded trips.csv');
  await expect(saved).toContainText('values kept');

  await page.reload();
  await nb.expectOpen('kept_inputs');
  await expect(nb.input('taxi')).toHaveValue('green');
  await expect(nb.input('year')).toHaveValue('2020');
  await expect(nb.input('note')).toHaveValue('kept across reloads');
  await expect(page.getByTestId('file-input-status')).toHaveText('uploaded trips.csv (kept)');
  await shot(page, 'inputs-kept-after-reload');

  // The kept values are what a run gets, the file included.
  await nb.runAll.click();
  await nb.cell('count').expectState('SUCCESS');
  await expect(nb.cell('say').logLine('green 2020 kept across reloads')).toBeVisible();
  await expect(nb.cell('count').logLine('lines=3')).toBeVisible();

  await saved.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(nb.input('taxi')).toHaveValue('yellow');
  await expect(nb.input('year')).toHaveValue('2019');
  await expect(nb.input('note')).toHaveValue('');
  await page.reload();
  await nb.expectOpen('kept_inputs');
  await expect(nb.input('taxi')).toHaveValue('yellow');
  await expect(nb.input('year')).toHaveValue('2019');
  await expect(saved.getByRole('button', { name: 'Reset to defaults' })).toBeDisabled();
  await shot(page, 'inputs-reset-to-defaults');
});

test('04 fails on pgdatabase, the banner starts the built-in PostgreSQL, and 04 runs', async ({ page }) => {
  test.setTimeout(180_000);
  const nb = await openSample(page, '04_postgres_taxi');
  await nb.input(SOURCE_URL).fill(`${fixtures.url}/taxi`);
  await expect(page.getByTestId('inputs-save')).toContainText('values kept');

  await nb.runAll.click();
  await nb.cell('yellow_create_table').expectState('FAILED');
  const banner = page.getByTestId('postgres-banner');
  await expect(banner).toContainText('could not reach PostgreSQL at pgdatabase');
  await shot(page, 'postgres-banner-pgdatabase-unreachable');

  // A port already taken says so.
  const taken = net.createServer();
  const takenPort = await freePort();
  await new Promise<void>((resolve) => taken.listen(takenPort, '127.0.0.1', resolve));
  await banner.getByLabel('PostgreSQL port').fill(String(takenPort));
  await banner.getByRole('button', { name: 'Start PostgreSQL' }).click();
  await expect(banner.getByTestId('postgres-error')).toContainText(`port ${takenPort} is already in use`);
  await shot(page, 'postgres-banner-port-in-use');
  await new Promise<void>((resolve) => taken.close(() => resolve()));

  const port = await freePort();
  await banner.getByLabel('PostgreSQL port').fill(String(port));
  await banner.getByRole('button', { name: 'Start PostgreSQL' }).click();
  await expect(banner).toContainText(`The built-in PostgreSQL runs on 127.0.0.1:${port}`, { timeout: 60_000 });
  await shot(page, 'postgres-banner-started');
  await banner.getByRole('button', { name: 'Run all again' }).click();
  await nb.cell('yellow_merge_data').expectState('SUCCESS');
  await nb.cell('purge_files').expectState('SUCCESS');
  await expect(banner).toBeHidden();
  await shot(page, 'flow-04-after-one-click-postgres');

  await page.goto('/settings');
  const card = page.getByTestId('builtin-postgres');
  await expect(card.getByTestId('postgres-state')).toContainText(`Running on 127.0.0.1:${port}`);
  await expect(page.getByTestId('builtin-alias')).toContainText(`pgdatabase → 127.0.0.1:${port}`);
  await shot(page, 'settings-builtin-postgres-running');
});

test('05 refuses a run by hand, then runs as its trigger for 2019-02; the run re-runs and its log downloads', async ({ page }) => {
  test.setTimeout(180_000);
  const nb = await openSample(page, '05_postgres_taxi_scheduled');
  await nb.input(SOURCE_URL).fill(`${fixtures.url}/taxi`);
  await expect(page.getByTestId('inputs-save')).toContainText('values kept');

  await nb.runAll.click();
  await expect(page.getByText('this flow reads trigger.date: use Run as trigger… (or --trigger-date on the CLI)')).toBeVisible();
  await shot(page, 'flow-05-run-by-hand-needs-a-trigger');

  await page.getByRole('button', { name: 'Run as trigger…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run as trigger' });
  await dialog.getByLabel('Trigger', { exact: true }).selectOption('green_schedule');
  await dialog.getByLabel('Trigger date (UTC)').fill('2019-02-01T09:00');
  await expect(dialog.getByTestId('trigger-preview')).toContainText('trigger.date = 2019-02-01T09:00:00Z');
  await expect(dialog.getByTestId('trigger-inputs')).toContainText('taxi = green');
  await shot(page, 'run-as-trigger-dialog-2019-02');
  await dialog.getByRole('button', { name: 'Run as green_schedule' }).click();
  await expect(dialog).toBeHidden();

  await nb.cell('green_merge_data').expectState('SUCCESS');
  await nb.cell('purge_files').expectState('SUCCESS');
  const run = page.getByTestId('run').first();
  await expect(run).toHaveAttribute('data-state', 'SUCCESS');
  await expect(run).toContainText('2019-02-01 09:00 UTC');
  await expect(run).toContainText('file: green_tripdata_2019-02.csv');
  await shot(page, 'flow-05-ran-as-trigger-2019-02');
  // The runs list scrolls inside the sidebar: shown as the page shows it.
  await page.getByTestId('runs').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/runs-list-trigger-date-and-labels.png` });

  await run.getByRole('button').click();
  const detail = page.getByRole('dialog', { name: /^Run / });
  await expect(detail.getByTestId('run-trigger')).toHaveText('green_schedule · trigger.date 2019-02-01 09:00 UTC');
  const [download] = await Promise.all([page.waitForEvent('download'), detail.getByTestId('download-log').click()]);
  expect(download.suggestedFilename()).toMatch(/^05_postgres_taxi_scheduled-.*\.log$/);
  const text = fs.readFileSync(await download.path(), 'utf8');
  expect(text).toContain('execution ended SUCCESS');
  expect(text).toMatch(/INFO {2}green_copy_in_to_staging_table /);
  await shot(page, 'run-detail-trigger-and-log-download');

  await detail.getByRole('button', { name: 'Re-run with these inputs' }).click();
  await expect(detail).toBeHidden();
  await expect(page.getByTestId('run')).toHaveCount(2);
  await expect(page.getByTestId('run').first()).toHaveAttribute('data-state', 'SUCCESS', { timeout: 60_000 });
  await expect(page.getByTestId('run').first()).toContainText('2019-02-01 09:00 UTC');
  await page.getByTestId('runs').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/runs-list-after-rerun.png` });
});

test('a Python error shows its traceback at the script lines, log lines wrap, and code stays readable in the dark theme', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(failingPythonFlow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('python_error');
  await nb.runAll.click();
  const divide = nb.cell('divide');
  await divide.expectState('FAILED');
  await expect(divide.root.getByTestId('cell-error')).toContainText('Command failed with exit code 1:');
  const detail = divide.root.getByTestId('cell-error-detail');
  await expect(detail).toContainText('File "script", line 3, in <module>');
  await expect(detail).toContainText('ZeroDivisionError: division by zero');

  // Each log row is as tall as its wrapped text: no row starts before the one above ends.
  const notes = nb.cell('notes');
  await notes.openTab(/Logs/);
  const lines = notes.root.getByTestId('log-line');
  await expect(lines.first()).toBeVisible();
  const boxes = await lines.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
  for (let i = 1; i < boxes.length; i++) expect(boxes[i].top).toBeGreaterThanOrEqual(boxes[i - 1].bottom - 0.5);
  const tall = boxes.some((b) => b.bottom - b.top > 30);
  expect(tall).toBe(true);
  await shot(page, 'python-traceback-and-wrapped-log');

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  const keyword = divide.editor.locator('span', { hasText: /^import$/ }).first();
  await expect(keyword).toHaveCSS('color', 'rgb(210, 168, 255)');
  await divide.root.scrollIntoViewIfNeeded();
  await shot(page, 'dark-theme-python-colours');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
});
