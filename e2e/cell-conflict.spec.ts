import { expect, test, type Page } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { threeQueriesFlow } from './flows';

/** Types into a cell's editor (replacing its text) and saves with Ctrl+S, without waiting for the save. */
async function typeAndSave(page: Page, taskId: string, text: string) {
  const cell = new NotebookPage(page).cell(taskId);
  await cell.editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
  await page.keyboard.press('ControlOrMeta+s');
}

async function savedSql(page: Page, notebookUrl: string): Promise<string> {
  const id = new URL(notebookUrl).pathname.split('/').pop() ?? '';
  const res = await page.request.get(`/api/notebooks/${id}`);
  const { yaml } = (await res.json()) as { yaml: string };
  return /- id: third\n.*\n\s+sql: (.*)/.exec(yaml)?.[1] ?? '';
}

test('two pages save the same cell: the later save is refused, then "Keep mine" and "Reload" each resolve it', async ({ page, context }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(threeQueriesFlow.replace('id: three_queries', 'id: same_cell_twice'));
  const first = new NotebookPage(page);
  await first.expectOpen('same_cell_twice');
  const url = page.url();

  const other = await context.newPage();
  await other.goto(url);
  const second = new NotebookPage(other);
  await second.expectOpen('same_cell_twice');
  await expect(second.cell('third').editor).toHaveText('SELECT 3 AS c');

  // The first page saves; the second page still shows the text it opened with.
  await first.cell('third').replaceCode('SELECT 31 AS c');
  expect(await savedSql(page, url)).toBe('SELECT 31 AS c');
  await expect(second.cell('third').editor).toHaveText('SELECT 3 AS c');

  // The second page saves its own edit of that same text: refused, nothing overwritten, its text kept.
  await typeAndSave(other, 'third', 'SELECT 32 AS c');
  const conflict = second.cell('third').root.getByTestId('save-conflict');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('changed elsewhere');
  await expect(second.cell('third').root.getByText('changed elsewhere', { exact: true })).toBeVisible();
  await expect(second.cell('third').editor).toHaveText('SELECT 32 AS c');
  expect(await savedSql(page, url)).toBe('SELECT 31 AS c');
  await other.screenshot({ path: testInfo.outputPath('save-conflict.png') });

  // "Keep mine" saves the second page's text over the first's, on the current version.
  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await expect(conflict).toBeHidden();
  await expect(second.cell('third').root.getByText(/unsaved|saving…|changed elsewhere|save failed/)).toHaveCount(0);
  await expect.poll(() => savedSql(page, url)).toBe('SELECT 32 AS c');

  // The first page, still on its old version, edits again: refused in turn; "Reload" takes the saved text.
  await typeAndSave(page, 'third', 'SELECT 33 AS c');
  const back = first.cell('third').root.getByTestId('save-conflict');
  await expect(back).toBeVisible();
  await back.getByRole('button', { name: 'Reload' }).click();
  await expect(back).toBeHidden();
  await expect(first.cell('third').editor).toHaveText('SELECT 32 AS c');
  await expect(first.cell('third').root.getByText(/unsaved|saving…|changed elsewhere|save failed/)).toHaveCount(0);
  expect(await savedSql(page, url)).toBe('SELECT 32 AS c');

  // Edits to different cells do not conflict: each page saves its own cell.
  await second.cell('first').replaceCode('SELECT 11 AS a');
  await first.cell('second').replaceCode('SELECT 22 AS b');
  await expect(first.cell('second').root.getByTestId('save-conflict')).toHaveCount(0);
  const id = new URL(url).pathname.split('/').pop() ?? '';
  const { yaml } = (await (await page.request.get(`/api/notebooks/${id}`)).json()) as { yaml: string };
  expect(yaml).toContain('sql: SELECT 11 AS a');
  expect(yaml).toContain('sql: SELECT 22 AS b');
  expect(yaml).toContain('sql: SELECT 32 AS c');
});
