/**
 * A notebook calling another notebook as a Subflow (Kestra's
 * core/src/main/java/io/kestra/plugin/core/flow/Subflow.java): the Subflow cell links to the
 * child execution, and the link opens that run in the child notebook.
 */
import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';

const child = `id: e2e_child
namespace: e2e.subflow
inputs:
  - id: who
    type: STRING
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.who }} from the child"
outputs:
  - id: greeting
    type: STRING
    value: "hello {{ inputs.who }}"
`;

const parent = `id: e2e_parent
namespace: e2e.subflow
tasks:
  - id: call_child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: e2e.subflow
    flowId: e2e_child
    inputs:
      who: Ada
  - id: use_output
    type: io.kestra.plugin.core.log.Log
    message: "child said {{ outputs.call_child.outputs.greeting }}"
`;

test('a Subflow cell links to the child execution, which opens in the child notebook', async ({ page }, testInfo) => {
  // Two notebooks imported, two executions and two page loads: more than the default budget on a busy machine.
  test.setTimeout(240_000);
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(child);
  await new NotebookPage(page).expectOpen('e2e_child');
  await home.goto();
  await home.importByPaste(parent);
  const nb = new NotebookPage(page);
  await nb.expectOpen('e2e_parent');

  await nb.runAll.click();
  const call = nb.cell('call_child');
  await call.expectState('SUCCESS');
  const use = nb.cell('use_output');
  await use.expectState('SUCCESS');
  await use.openTab(/Logs/);
  await expect(use.logLine('child said hello Ada')).toHaveCount(1);

  const link = call.root.getByTestId('subflow-link').getByRole('link');
  await expect(link).toContainText('e2e.subflow.e2e_child');
  await page.screenshot({ path: testInfo.outputPath('subflow-cell.png'), fullPage: true });
  await link.click();

  await new NotebookPage(page).expectOpen('e2e_child');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('greet');
  await expect(dialog).toContainText('hello Ada from the child');
  await expect(dialog.getByText('system.correlationId', { exact: false })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('child-run.png'), fullPage: true });
});
