import { expect, test, type Page } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';

const FLOW = `id: same_note_twice
namespace: e2e
tasks:
  # %% [markdown]
  # The first note.
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`;

async function savedNote(page: Page, notebookUrl: string): Promise<string | undefined> {
  const id = new URL(notebookUrl).pathname.split('/').pop() ?? '';
  const nb = (await (await page.request.get(`/api/notebooks/${id}`)).json()) as { cells: { taskId: string; note?: string }[] };
  return nb.cells.find((c) => c.taskId === 'hello')?.note;
}

async function editNote(page: Page, text: string) {
  const cell = new NotebookPage(page).cell('hello');
  await cell.root.getByTestId('note').getByRole('button', { name: 'edit' }).click();
  const box = cell.root.getByRole('textbox', { name: 'Note (markdown)' });
  await box.fill(text);
  await cell.root.getByRole('button', { name: 'Save note' }).click();
}

test('two pages edit the same note: the later save is refused, then "Keep mine" and "Reload" each resolve it', async ({ page, context }, testInfo) => {
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(FLOW);
  const first = new NotebookPage(page);
  await first.expectOpen('same_note_twice');
  const url = page.url();
  const other = await context.newPage();
  await other.goto(url);
  const second = new NotebookPage(other);
  await second.expectOpen('same_note_twice');
  await expect(second.cell('hello').root.getByTestId('note')).toContainText('The first note.');

  // The first page saves its note; the second, still showing the old one, saves its own edit: refused.
  await editNote(page, 'Note from the first page.');
  await expect(first.cell('hello').root.getByTestId('note')).toContainText('Note from the first page.');
  await editNote(other, 'Note from the second page.');
  const conflict = second.cell('hello').root.getByTestId('save-conflict');
  await expect(conflict).toContainText('changed elsewhere');
  expect(await savedNote(page, url)).toBe('Note from the first page.');
  await other.screenshot({ path: testInfo.outputPath('note-conflict.png') });

  // "Keep mine" saves the second page's note over the first's.
  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await expect(second.cell('hello').root.getByTestId('note')).toContainText('Note from the second page.');
  await expect.poll(() => savedNote(page, url)).toBe('Note from the second page.');

  // The first page, on its old copy, edits again: refused in turn; "Reload" shows the saved note.
  await editNote(page, 'Again from the first page.');
  const back = first.cell('hello').root.getByTestId('save-conflict');
  await expect(back).toBeVisible();
  await back.getByRole('button', { name: 'Reload' }).click();
  await expect(first.cell('hello').root.getByTestId('note')).toContainText('Note from the second page.');
  expect(await savedNote(page, url)).toBe('Note from the second page.');
});
