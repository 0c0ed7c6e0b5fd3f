import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { countLinesFlow, oneLogFlow, resultViewsFlow } from './flows';

test('insert a cell from a task type example, see refused inserts keep the text, delete a cell', async ({ page }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(oneLogFlow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('add_delete');

  // A DuckDB query from its example, inserted after `hello`, runs like any other cell.
  const form = await nb.openAddCell('hello');
  await form.taskType.selectOption('io.kestra.plugin.jdbc.duckdb.Query');
  await expect(form.yaml).toHaveValue(/type: io.kestra.plugin.jdbc.duckdb.Query/);
  await expect(form.yaml).toHaveValue(/SELECT 42 AS answer/);
  await page.screenshot({ path: testInfo.outputPath('add-cell-form.png'), fullPage: true });
  await form.insert.click();
  await expect(form.root).toBeHidden();
  await expect(nb.cell('query').root).toBeVisible();
  expect(await nb.cellIds()).toEqual(['hello', 'query']);
  await nb.cell('query').run();
  await nb.cell('query').expectState('SUCCESS');
  await nb.cell('query').openTab('Outputs');
  await expect(nb.cell('query').root.getByTestId('json-tree')).toContainText('42');

  // The Log example's id `hello` is taken: the server says so and the text stays.
  const again = await nb.openAddCell('query');
  await again.taskType.selectOption('io.kestra.plugin.core.log.Log');
  await again.insert.click();
  await expect(again.error).toContainText('duplicate task id "hello"');
  await expect(again.yaml).toHaveValue(/id: hello/);
  await page.screenshot({ path: testInfo.outputPath('add-cell-duplicate.png'), fullPage: true });

  // Broken YAML: refused with the parser's message, the text is still there.
  const broken = 'id: shout\ntype: io.kestra.plugin.core.log.Log\nmessage: [unclosed';
  await again.yaml.fill(broken);
  await again.insert.click();
  await expect(again.error).toContainText('line 3');
  await expect(again.yaml).toHaveValue(broken);
  expect(await nb.cellIds()).toEqual(['hello', 'query']);

  // Fixed, it goes in between.
  await again.yaml.fill('id: shout\ntype: io.kestra.plugin.core.log.Log\nmessage: loud');
  await again.insert.click();
  await expect(nb.cell('shout').root).toBeVisible();
  expect(await nb.cellIds()).toEqual(['hello', 'query', 'shout']);

  // At the very start of the flow.
  const first = await nb.openAddCell(null);
  await first.yaml.fill('id: opener\ntype: io.kestra.plugin.core.debug.Return\nformat: first');
  await first.insert.click();
  await expect(nb.cell('opener').root).toBeVisible();
  expect(await nb.cellIds()).toEqual(['opener', 'hello', 'query', 'shout']);

  // Delete asks first; cancelling keeps the cell.
  await nb.cell('query').root.getByRole('button', { name: 'Delete cell query' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete cell query?' });
  await expect(dialog).toContainText('SELECT 42 AS answer');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(nb.cell('query').root).toBeVisible();
  await nb.cell('query').delete();
  await expect(nb.cell('query').root).toHaveCount(0);
  expect(await nb.cellIds()).toEqual(['opener', 'hello', 'shout']);

  // The change is in the saved YAML, not only on screen.
  await page.reload();
  await nb.expectOpen('add_delete');
  expect(await nb.cellIds()).toEqual(['opener', 'hello', 'shout']);
  const yaml = await nb.exportedYaml();
  expect(yaml).not.toContain('id: query');
  expect(yaml).toContain('  - id: shout\n    type: io.kestra.plugin.core.log.Log\n    message: loud');
});

test('a FILE input: the file picked in the browser is uploaded and the shell task counts its lines', async ({ page }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(countLinesFlow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('count_lines');
  const picker = nb.input('data');
  const status = page.getByTestId('inputs-form').getByTestId('file-input-status');

  // Over the size limit: refused with the limit named, before anything is sent.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-e2e-upload-'));
  try {
    const big = path.join(tmp, 'huge.csv');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 201 * 1024 * 1024);
    await picker.setInputFiles(big);
    await expect(status).toContainText('Upload failed: huge.csv is 201.0 MB: the upload limit is 200.0 MB');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const csv = 'vendor,amount\n1,10.5\n2,3.25\n1,7\n2,1\n';
  await picker.setInputFiles({ name: 'my trips.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(status).toHaveText(`uploaded my_trips.csv · ${csv.length} B`);
  await page.screenshot({ path: testInfo.outputPath('file-input.png') });
  await nb.runAll.click();
  const count = nb.cell('count');
  await count.expectState('SUCCESS');
  await count.openTab(/Logs/);
  await expect(count.logLine('lines=5')).toBeVisible();

  // The execution got the file as a kestra:/// URI of its own storage, not the upload path.
  const notebookId = new URL(page.url()).pathname.split('/').pop() ?? '';
  const executions = (await (await page.request.get(`/api/notebooks/${notebookId}/executions`)).json()) as { inputs: Record<string, unknown> }[];
  expect(String(executions[0]?.inputs.data)).toMatch(/^kestra:\/\/\/e2e\/count_lines\/executions\/.+\/inputs\/data\/my_trips\.csv$/);
});

test('result views: fetched rows as a grid and a chart, a stored file with size and preview, a Return value as a tree', async ({ page }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(resultViewsFlow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('result_views');
  await nb.runAll.click();
  for (const id of ['fruits', 'make_csv', 'answer']) await nb.cell(id).expectState('SUCCESS');

  // FETCH: the rows come back in the outputs and show as a grid under the cell.
  const fruits = nb.cell('fruits');
  await fruits.openTab(/Results/);
  const grid = fruits.root.getByTestId('data-grid');
  await expect(grid.getByTestId('grid-range')).toHaveText('rows 1–4 of 4');
  await expect(grid.getByTestId('grid-row')).toHaveCount(4);
  await expect(grid.getByTestId('grid-row').nth(1)).toContainText('banana');
  await expect(grid.getByTestId('grid-row').nth(1)).toContainText('5');
  await fruits.root.scrollIntoViewIfNeeded();
  await fruits.root.screenshot({ path: testInfo.outputPath('fetch-grid.png') });

  // Two columns: the chart shows one bar per row, tallest for the largest value.
  await fruits.root.getByRole('button', { name: 'Chart' }).click();
  const chart = fruits.root.getByRole('img', { name: 'Chart of the results' });
  await expect(chart.locator('rect')).toHaveCount(4);
  await expect(chart.locator('rect title')).toHaveText(['apple: 3', 'banana: 5', 'cherry: 2', 'date: 7']);
  const heights = await chart.locator('rect').evaluateAll((els) => els.map((e) => Number(e.getAttribute('height'))));
  expect(heights.indexOf(Math.max(...heights))).toBe(3);
  await fruits.root.screenshot({ path: testInfo.outputPath('chart-bars.png') });
  await fruits.root.getByRole('button', { name: 'line' }).click();
  const points = (await chart.locator('polyline').getAttribute('points')) ?? '';
  expect(points.trim().split(/\s+/)).toHaveLength(4);
  await fruits.root.screenshot({ path: testInfo.outputPath('chart-line.png') });

  // outputFiles: the file is listed with its size, and its preview shows the CSV rows.
  const csv = nb.cell('make_csv');
  await csv.openTab(/Files/);
  const row = csv.root.getByTestId('file-row').filter({ hasText: 'cities.csv' });
  await expect(row.getByTestId('file-name')).toHaveText('cities.csv');
  await expect(row).toContainText('33 B');
  await row.getByRole('button', { name: 'preview' }).click();
  const preview = row.getByTestId('data-grid');
  await expect(preview.getByRole('button', { name: 'Sort by city' })).toBeVisible();
  await expect(preview.getByTestId('grid-row')).toHaveCount(3);
  await expect(preview.getByTestId('grid-row').nth(0)).toContainText('Berlin');
  await expect(preview.getByTestId('grid-row').nth(2)).toContainText('Oslo');
  await csv.root.scrollIntoViewIfNeeded();
  await csv.root.screenshot({ path: testInfo.outputPath('files-preview.png') });

  // Return: its value, rendered from the earlier cell's output, in the JSON tree.
  const answer = nb.cell('answer');
  await answer.openTab('Outputs');
  await expect(answer.root.getByTestId('json-tree')).toContainText('value: "4 fruits"');
  await answer.root.scrollIntoViewIfNeeded();
  await answer.root.screenshot({ path: testInfo.outputPath('outputs-tree.png') });
});

for (const size of [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
]) {
  test(`the notebook fits a ${size.width}x${size.height} screen without sideways scrolling`, async ({ page }, testInfo) => {
    await page.setViewportSize(size);
    const home = new HomePage(page);
    await home.goto();
    await home.importByPaste(resultViewsFlow.replace('id: result_views', `id: layout_${size.width}`));
    const nb = new NotebookPage(page);
    await nb.expectOpen(`layout_${size.width}`);
    await nb.runAll.click();
    for (const id of ['fruits', 'make_csv', 'answer']) await nb.cell(id).expectState('SUCCESS');
    await nb.cell('fruits').openTab(/Results/);
    await expect(nb.cell('fruits').root.getByTestId('data-grid')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`notebook-${size.width}x${size.height}.png`) });
    const overflow = await page.evaluate(() => {
      const doc = document.scrollingElement ?? document.documentElement;
      const cells = document.querySelector<HTMLElement>('[data-testid="cells"]');
      return { page: Math.max(0, doc.scrollWidth - doc.clientWidth), cells: cells ? Math.max(0, cells.scrollWidth - cells.clientWidth) : 0 };
    });
    expect(overflow).toEqual({ page: 0, cells: 0 });
    // Every cell's header buttons stay inside its card.
    for (const id of ['fruits', 'make_csv', 'answer']) {
      const card = await nb.cell(id).root.boundingBox();
      const del = await nb.cell(id).root.getByRole('button', { name: `Delete cell ${id}` }).boundingBox();
      expect(card && del && del.x + del.width <= card.x + card.width).toBe(true);
    }
  });
}
