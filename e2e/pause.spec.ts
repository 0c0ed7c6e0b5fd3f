/**
 * Human in the loop, as Kestra's Pause example `vacation_approval_process` does it
 * (core/src/main/java/io/kestra/plugin/core/flow/Pause.java): the run stops at the Pause, the
 * cell shows "Paused" with its onResume inputs, and Resume sends them; the next task logs the
 * value typed (`outputs.<pause>.onResume.<input>`).
 */
import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';

const approval = `id: pause_approval
namespace: e2e
tasks:
  - id: wait_for_approval
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
        defaults: true
      - id: reason
        type: STRING
  - id: log_decision
    type: io.kestra.plugin.core.log.Log
    message: "Decision: {{ outputs.wait_for_approval.onResume.approved }} because {{ outputs.wait_for_approval.onResume.reason }}"
`;

test('a paused cell shows its onResume form; Resume sends the values and the next cell logs them', async ({ page }, testInfo) => {
  // A server in dev mode compiles the notebook page on its first visit, which can take long on a busy machine.
  test.setTimeout(300_000);
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(approval);
  await expect(page).toHaveURL(/\/notebooks\//, { timeout: 180_000 });
  const nb = new NotebookPage(page);
  await nb.expectOpen('pause_approval');

  await nb.runAll.click();
  const pause = nb.cell('wait_for_approval');
  await pause.expectState('PAUSED');
  const paused = pause.root.getByTestId('cell-paused');
  await expect(paused).toContainText('Paused');
  const form = paused.getByRole('form', { name: 'Resume wait_for_approval' });
  await expect(form.getByLabel('approved', { exact: true })).toBeChecked();
  await nb.cell('log_decision').expectState('NONE');

  // The required reason is missing: the form says so and Resume waits for it.
  const resume = paused.getByRole('button', { name: 'Resume' });
  await expect(resume).toBeDisabled();
  await form.getByLabel('reason', { exact: true }).fill('the numbers check out');
  await page.screenshot({ path: testInfo.outputPath('paused-cell.png'), fullPage: true });
  await resume.click();

  await pause.expectState('SUCCESS');
  await expect(paused).toHaveCount(0);
  const decision = nb.cell('log_decision');
  await decision.expectState('SUCCESS');
  await decision.openTab(/Logs/);
  await expect(decision.logLine('Decision: true because the numbers check out')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('resumed.png'), fullPage: true });
});
