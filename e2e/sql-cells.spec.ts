import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { duckdbStoreFlow, threeQueriesFlow } from './flows';

test('a DuckDB table shows under its cell and pages on the server', async ({ page }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(duckdbStoreFlow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('duck_results');
  const cell = nb.cell('numbers');
  await cell.run();
  await cell.expectState('SUCCESS');
  await cell.openTab(/Results/);
  const grid = cell.root.getByTestId('data-grid');
  await expect(grid.getByTestId('grid-range')).toHaveText('rows 1–50 of 120');
  await expect(grid.getByRole('button', { name: 'Sort by n' })).toContainText(/BIGINT|INT/i);
  await expect(grid.getByTestId('grid-row').first()).toContainText('0');
  await grid.getByRole('button', { name: 'Next page' }).click();
  await expect(grid.getByTestId('grid-range')).toHaveText('rows 51–100 of 120');
  await expect(grid.getByTestId('grid-row').first().locator('td').first()).toHaveText('50');
  await grid.getByRole('button', { name: 'Sort by n' }).click();
  await grid.getByRole('button', { name: 'Sort by n' }).click();
  await expect(grid.getByTestId('grid-row').first().locator('td').first()).toHaveText('119');
  await page.screenshot({ path: testInfo.outputPath('results.png'), fullPage: true });
});


test('edit one cell, re-run only it, and see the later cell that reads it marked stale', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  // `third` reads `second`'s row, so it depends on it; `first` does not.
  const flow = threeQueriesFlow.replace('id: three_queries', 'id: edit_rerun').replace('SELECT 3 AS c', 'SELECT {{ outputs.second.row.b }} + 1 AS c');
  await home.importByPaste(flow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('edit_rerun');
  await nb.runAll.click();
  for (const id of ['first', 'second', 'third']) await nb.cell(id).expectState('SUCCESS');
  await expect(nb.cell('third').staleMarker).toHaveCount(0);

  const second = nb.cell('second');
  await second.replaceCode('SELECT 22 AS b');
  await second.run();
  // The cell that reads `second` turns stale once the re-run of `second` has finished.
  await expect(nb.cell('third').staleMarker).toBeVisible();
  await expect(nb.cell('third').staleMarker).toContainText('second');
  await second.expectState('SUCCESS');
  await second.openTab('Outputs');
  await expect(second.root.getByTestId('json-tree')).toContainText('b: 22');
  await expect(nb.cell('first').staleMarker).toHaveCount(0);
  await expect(second.staleMarker).toHaveCount(0);
});
