import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { oneLogFlow } from './flows';

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
