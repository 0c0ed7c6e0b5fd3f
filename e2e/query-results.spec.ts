import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { CellResults } from './pages/CellResults';
import { startFixtureServer, type FixtureServer } from '../test/support/fixture-server';
import { startE2ePostgres, type E2ePostgres } from './support/postgres';
import { duckdbTwoStatementsFlow, fetchOneFlow, postgresFetchFlow, tripsChartFlow } from './result-flows';

const SHOTS = '/tmp/flowbook-shots';

// Tall enough that a cell with its chart and grid fits in one screenshot.
test.use({ viewport: { width: 1280, height: 1600 } });

let fixtures: FixtureServer;
let postgres: E2ePostgres | undefined;

test.beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  fixtures = await startFixtureServer();
});

test.afterAll(async () => {
  await fixtures?.close();
  await postgres?.stop();
});

async function openFlow(page: Page, yaml: string, flowId: string): Promise<NotebookPage> {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(yaml);
  const nb = new NotebookPage(page);
  await nb.expectOpen(flowId);
  return nb;
}

test('course flow 03: the DuckDB Queries cell shows its stored result as a grid, and a chart of it', async ({ page }) => {
  // The course flow as it is, with its download pointed at the local stand-in for dummyjson.
  const yaml = fs
    .readFileSync('flows/03_getting_started_data_pipeline.yaml', 'utf8')
    .replace('id: 03_getting_started_data_pipeline', 'id: e2e_getting_started')
    .replace('https://dummyjson.com/products', `${fixtures.url}/products`);
  const nb = await openFlow(page, yaml, 'e2e_getting_started');
  await nb.runAll.click();
  const query = nb.cell('query');
  await query.expectState('SUCCESS');

  // The result is open by default: outputs[0].uri (an Ion file) paged by the server.
  const results = new CellResults(query);
  await results.expectShown();
  await expect(results.tab).toHaveText(/Results · 4 rows/);
  await expect(results.range).toHaveText('rows 1–4 of 4');
  await expect(results.grid.getByRole('button', { name: 'Sort by avg_price' })).toContainText('DOUBLE');
  await expect(results.rows.first()).toContainText('Glamour Beauty');
  await expect(results.rows.first()).toContainText('19.99');

  // A chart: brands against their average price, tallest bar first (the query orders by price).
  await results.openChart();
  await expect(results.bars).toHaveCount(4);
  await expect(results.bars.locator('title')).toHaveText(['Glamour Beauty: 19.99', 'Velvet Touch: 14.99', 'Essence: 11.49', 'N/A: 1.99']);
  await expect(results.grid).toBeVisible();
  await query.root.scrollIntoViewIfNeeded();
  await query.root.screenshot({ path: `${SHOTS}/03-duckdb-queries-store-grid-and-chart.png` });
});

test('a DuckDB Queries cell with two SELECTs shows a tab per statement', async ({ page }) => {
  const nb = await openFlow(page, duckdbTwoStatementsFlow, 'two_statements');
  await nb.runAll.click();
  const cell = nb.cell('both');
  await cell.expectState('SUCCESS');
  const results = new CellResults(cell);
  await results.expectShown();
  await expect(results.tab).toHaveText(/Results · 2 results/);
  await expect(results.statementTabs).toHaveCount(2);
  await expect(results.statementTabs.nth(0)).toContainText('SELECT count(*) AS n FROM fruit');
  await expect(results.statementTabs.nth(0)).toContainText('1 row');
  await expect(results.statementTabs.nth(1)).toContainText('SELECT name, qty FROM fruit');
  await expect(results.statementTabs.nth(1)).toContainText('3 rows');

  // First statement: one row.
  await expect(results.range).toHaveText('rows 1–1 of 1');
  await expect(results.rows).toHaveCount(1);
  await expect(results.rows.first()).toContainText('3');

  // Second statement: its own grid, sortable in the browser.
  await results.statementTabs.nth(1).click();
  await expect(results.range).toHaveText('rows 1–3 of 3');
  await expect(results.rows.first()).toContainText('apple');
  await results.grid.getByRole('button', { name: 'Sort by qty' }).click();
  await results.grid.getByRole('button', { name: 'Sort by qty' }).click();
  await expect(results.rows.first()).toContainText('cherry');
  await cell.root.scrollIntoViewIfNeeded();
  await cell.root.screenshot({ path: `${SHOTS}/duckdb-queries-two-statement-tabs.png` });
});

test('FETCH_ONE shows its one row', async ({ page }) => {
  const nb = await openFlow(page, fetchOneFlow, 'fetch_one');
  await nb.runAll.click();
  const cell = nb.cell('answer');
  await cell.expectState('SUCCESS');
  const results = new CellResults(cell);
  await results.expectShown();
  await expect(results.tab).toHaveText(/Results · 1 row$/);
  await expect(cell.root.getByTestId('fetched-row')).toBeVisible();
  await expect(results.range).toHaveText('rows 1–1 of 1');
  await expect(results.rows).toHaveCount(1);
  await expect(results.rows.first().locator('td')).toHaveText(['42', 'forty-two', '2019-01-01']);
  await cell.root.scrollIntoViewIfNeeded();
  await cell.root.screenshot({ path: `${SHOTS}/duckdb-query-fetch-one-row.png` });
});

test('a PostgreSQL Query with FETCH shows its rows', async ({ page }) => {
  test.setTimeout(180_000);
  postgres = await startE2ePostgres();
  const nb = await openFlow(page, postgresFetchFlow(postgres.port), 'pg_fetch');
  await nb.runAll.click();
  const cell = nb.cell('squares');
  await cell.expectState('SUCCESS');
  const results = new CellResults(cell);
  await results.expectShown();
  await expect(results.tab).toHaveText(/Results · 12 rows/);
  await expect(results.range).toHaveText('rows 1–12 of 12');
  await expect(results.rows.first().locator('td')).toHaveText(['1', '1', '2019-01-01']);
  await expect(results.grid.getByRole('button', { name: 'Sort by square' })).toContainText('number');
  // The day column makes the first chart a line over time.
  await results.openChart();
  await expect(results.kind('line')).toHaveAttribute('aria-pressed', 'true');
  await expect(results.chart.locator('circle')).toHaveCount(12);
  await cell.root.scrollIntoViewIfNeeded();
  await cell.root.screenshot({ path: `${SHOTS}/postgres-query-fetch-rows.png` });
});

test('a chart built with x, y and group by is still there after a reload', async ({ page }) => {
  const nb = await openFlow(page, tripsChartFlow, 'trips_chart');
  await nb.runAll.click();
  const cell = nb.cell('trips');
  await cell.expectState('SUCCESS');
  let results = new CellResults(cell);
  await results.expectShown();
  await results.openChart();

  // Default: the first text column against the first number column.
  await expect(results.xAxis).toHaveValue('vendor');
  await expect(results.bars).toHaveCount(2);

  // Fare and tip per day, one line per vendor, averaged.
  await results.kind('line').click();
  await results.xAxis.selectOption('day');
  await results.y('tip').check();
  await results.groupBy.selectOption('vendor');
  await results.aggregate.selectOption('avg');
  await expect(results.chart.locator('polyline')).toHaveCount(4);
  await expect(results.legend.getByRole('listitem')).toHaveText(['A · fare', 'A · tip', 'B · fare', 'B · tip']);
  await cell.root.scrollIntoViewIfNeeded();
  await cell.root.screenshot({ path: `${SHOTS}/chart-builder-line-x-y-group.png` });

  await page.reload();
  await nb.expectOpen('trips_chart');
  results = new CellResults(nb.cell('trips'));
  await results.expectShown();
  await expect(results.builder).toBeVisible();
  await expect(results.kind('line')).toHaveAttribute('aria-pressed', 'true');
  await expect(results.xAxis).toHaveValue('day');
  await expect(results.y('fare')).toBeChecked();
  await expect(results.y('tip')).toBeChecked();
  await expect(results.groupBy).toHaveValue('vendor');
  await expect(results.aggregate).toHaveValue('avg');
  await expect(results.chart.locator('polyline')).toHaveCount(4);
  await expect(results.chart.locator('circle title').first()).toHaveText('2019-01-01 · A · fare: 20');
  await nb.cell('trips').root.scrollIntoViewIfNeeded();
  await nb.cell('trips').root.screenshot({ path: `${SHOTS}/chart-builder-after-reload.png` });

  // Histogram of fares, stacked by vendor.
  await results.kind('histogram').click();
  await results.xAxis.selectOption('fare');
  await expect(results.builder.getByRole('group', { name: 'Y axis' })).toHaveCount(0);
  await expect(results.bars.first()).toBeVisible();
  await nb.cell('trips').root.screenshot({ path: `${SHOTS}/chart-builder-histogram-by-vendor.png` });
  await results.kind('scatter').click();
  await results.xAxis.selectOption('fare');
  await results.y('tip').check();
  await expect(results.chart.locator('circle').first()).toBeVisible();
  await nb.cell('trips').root.screenshot({ path: `${SHOTS}/chart-builder-scatter-by-vendor.png` });
});
