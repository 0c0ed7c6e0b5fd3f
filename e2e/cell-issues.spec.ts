import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';

const forwardReference = `id: cell_issues
namespace: e2e
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.later.value }}"
  - id: later
    type: io.kestra.plugin.core.debug.Return
    format: hello
`;

test('a cell shows the reference warnings about it, with line and column, and only under that cell', async ({ page }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(forwardReference);
  const nb = new NotebookPage(page);
  await nb.expectOpen('cell_issues');
  const issues = nb.cell('greet').root.getByTestId('cell-issues');
  await expect(issues).toContainText('outputs.later.value');
  await expect(issues).toContainText('runs after');
  await expect(issues).toContainText(/line 6, column \d+/);
  await expect(nb.cell('later').root.getByTestId('cell-issues')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('cell-issues.png'), fullPage: true });
});
