import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { brokenFlow, liveLogsFlow, threeQueriesFlow } from './flows';

test('import a flow by paste and open it as a notebook', async ({ page }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(threeQueriesFlow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('three_queries');
  for (const id of ['first', 'second', 'third']) await expect(nb.cell(id).root).toBeVisible();
  await expect(nb.cell('second').root.getByTestId('note')).toContainText('The cell we edit.');
  await page.screenshot({ path: testInfo.outputPath('notebook.png'), fullPage: true });
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.screenshot({ path: testInfo.outputPath('notebook-dark.png') });
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await home.goto();
  await expect(home.item('three_queries')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('home.png') });
});

test('run all and watch a log line arrive while the task still runs', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(liveLogsFlow('live_logs', 2));
  const nb = new NotebookPage(page);
  await nb.expectOpen('live_logs');
  await nb.runAll.click();
  const talk = nb.cell('talk');
  await expect(talk.logLine('first-line')).toBeVisible();
  // The first line is on screen while the task is still running: it streamed in live.
  await talk.expectState('RUNNING');
  await expect(talk.logLine('second-line')).toBeVisible();
  await talk.expectState('SUCCESS');
});

test('reload mid-run: the stream continues with no line shown twice', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(liveLogsFlow('reload_mid_run', 4));
  const nb = new NotebookPage(page);
  await nb.expectOpen('reload_mid_run');
  await nb.runAll.click();
  const talk = nb.cell('talk');
  await expect(talk.logLine('first-line')).toBeVisible();
  await talk.expectState('RUNNING');
  await page.reload();
  await expect(talk.logLine('first-line')).toHaveCount(1);
  await expect(talk.logLine('second-line')).toHaveCount(1);
  await talk.expectState('SUCCESS');
  await expect(talk.logLine('first-line')).toHaveCount(1);
});

test('export gives the flow YAML with only the edited line changed', async ({ page }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  const original = threeQueriesFlow.replace('id: three_queries', 'id: export_me');
  await home.importByPaste(original);
  const nb = new NotebookPage(page);
  await nb.expectOpen('export_me');
  expect(await nb.exportedYaml()).toBe(original);
  await page.keyboard.press('Escape');
  await nb.cell('third').replaceCode('SELECT 33 AS c');
  const expected = original.replace('sql: SELECT 3 AS c', 'sql: SELECT 33 AS c');
  expect(await nb.exportedYaml()).toBe(expected);
  await page.getByRole('tab', { name: /Diff vs imported/ }).click();
  const diff = page.getByTestId('export-diff');
  await expect(diff).toContainText('SELECT 33 AS c');
  await page.screenshot({ path: testInfo.outputPath('export-diff.png') });
});

test('a bad import shows its error with line and column and saves nothing', async ({ page }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(brokenFlow);
  await expect(home.issues.first()).toContainText('line 7, column 5');
  await page.screenshot({ path: testInfo.outputPath('bad-import.png') });
  await page.keyboard.press('Escape');
  await page.getByLabel('Search notebooks').fill('broken');
  await expect(page.getByText(/No notebook matches/)).toBeVisible();
});

test('settings: a secret is listed by key and its value is never shown', async ({ page }, testInfo) => {
  await page.goto('/settings');
  await page.getByLabel('Secret key').fill('E2E_TOKEN');
  await page.getByLabel('Secret value').fill('super-secret-value');
  await page.getByRole('button', { name: 'Set secret' }).click();
  await expect(page.getByTestId('secret-list')).toContainText('E2E_TOKEN');
  await expect(page.getByText('super-secret-value')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('settings.png'), fullPage: true });
});
