import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { NamespaceFilesPanel } from './pages/NamespaceFilesPanel';

const NS = 'e2e.files';
const flow = `id: runs_namespace_file
namespace: ${NS}
tasks:
  - id: workdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    namespaceFiles:
      enabled: true
    tasks:
      - id: hello
        type: io.kestra.plugin.scripts.python.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - python3 scripts/hello.py
`;

test('create scripts/hello.py in the Files panel, a cell runs it through namespaceFiles; upload, drop, a stale save, delete, export as .zip', async ({ page }, testInfo) => {
  // Generous: a dev server (FLOWBOOK_E2E_SERVER=dev) compiles the notebook page on its first visit.
  test.setTimeout(360_000);
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(flow);
  await expect(page).toHaveURL(/\/notebooks\//, { timeout: 240_000 });
  await expect(page.getByTestId('flow-id')).toBeVisible({ timeout: 240_000 });
  const nb = new NotebookPage(page);
  await nb.expectOpen('runs_namespace_file');
  const files = new NamespaceFilesPanel(page);
  await expect(files.root).toContainText(`No files in ${NS} yet`);

  // Create the script in the panel and write it in the editor.
  await files.create('scripts/hello.py');
  await files.typeAndSave('import sys\nprint("hello from the Files panel, Python " + sys.version.split()[0])\n');
  await expect(files.notice).toContainText('Saved scripts/hello.py');
  await page.screenshot({ path: testInfo.outputPath('namespace-file-editor.png'), fullPage: true });
  await files.close();
  await expect.poll(() => files.treeText()).toEqual(['▾ scripts/', 'hello.py']);

  // The cell runs it: WorkingDirectory copied the namespace's files into its directory.
  await nb.runAll.click();
  const cell = nb.cell('hello');
  await cell.expectState('SUCCESS');
  await expect(cell.logLine('hello from the Files panel, Python 3.')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('namespace-file-run.png'), fullPage: true });

  // Upload two files into the selected folder, then drop a third onto the panel.
  await files.row('▾ scripts/').click();
  await files.root.getByTestId('namespace-files-upload').setInputFiles([
    { name: 'util.py', mimeType: 'text/x-python', buffer: Buffer.from('X = 1\n') },
    { name: 'query.sql', mimeType: 'application/sql', buffer: Buffer.from('select 1;\n') },
  ]);
  await expect(files.root).toContainText('Uploaded scripts/util.py, scripts/query.sql.');
  const dropped = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['a,b\n1,2\n'], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  });
  await files.row('▾ scripts/').click(); // back to the top folder
  await files.root.dispatchEvent('dragover', { dataTransfer: dropped });
  await files.root.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(files.root).toContainText('Uploaded dropped.csv.');
  await expect.poll(() => files.treeText()).toEqual(['▾ scripts/', 'hello.py', 'query.sql', 'util.py', 'dropped.csv']);

  // A save made on an older version is refused; the text stays, and Reload takes the other save.
  await files.open('util.py');
  await expect(files.editor).toHaveText('X = 1');
  const url = `/api/namespaces/${NS}/files/content?path=scripts/util.py`;
  const current = (await (await page.request.get(url)).json()) as { version: string };
  expect((await page.request.put(url, { data: { content: 'X = 2  # saved elsewhere\n', version: current.version } })).status()).toBe(200);
  await files.typeAndSave('X = 3  # mine\n');
  await expect(files.notice).toContainText('was saved elsewhere since you opened it');
  await expect(files.editor).toHaveText('X = 3  # mine');
  await page.screenshot({ path: testInfo.outputPath('namespace-file-conflict.png'), fullPage: true });
  await files.notice.getByRole('button', { name: 'Reload' }).click();
  await expect(files.editor).toHaveText('X = 2  # saved elsewhere');

  // Rename, then delete after the confirm.
  await files.dialog.getByLabel('Path', { exact: true }).fill('lib/util.py');
  await files.dialog.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('dialog', { name: 'lib/util.py' })).toBeVisible();
  await files.dialog.getByRole('button', { name: 'Delete…' }).click();
  await expect(files.dialog).toContainText('Delete lib/util.py? This cannot be undone.');
  await files.dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(files.dialog).toBeHidden();
  await expect.poll(() => files.treeText()).toEqual(['▾ scripts/', 'hello.py', 'query.sql', 'dropped.csv']);

  // Export: the YAML and the namespace's files as one .zip.
  await nb.exportButton.click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download with namespace files/ }).click()]);
  expect(download.suggestedFilename()).toBe('runs_namespace_file.zip');
  const zip = testInfo.outputPath('export.zip');
  await download.saveAs(zip);
  const names = execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))', zip], { encoding: 'utf8' });
  expect(names.trim().split('\n')).toEqual([
    'runs_namespace_file.yaml',
    `_files/${NS}/dropped.csv`,
    `_files/${NS}/scripts/hello.py`,
    `_files/${NS}/scripts/query.sql`,
  ]);
});
