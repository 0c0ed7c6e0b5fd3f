/**
 * From notebook to a Kestra server, in the browser: a server saved under Settings, "Deploy to
 * Kestra" with its diff before anything is sent, and "Run on Kestra" shown in the cells. The
 * server is the local Kestra stand-in (test/support/kestra-stand-in.ts), which answers at
 * Kestra 1.x's endpoints with the bodies its documentation and sources show.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { DeployDialogObject, KestraMenu, KestraServersSection } from './pages/KestraPages';
import { startKestraStandIn, type KestraStandIn } from '../test/support/kestra-stand-in';

const SHOTS = '/tmp/flowbook-shots';
const PASSWORD = 'e2e-kestra-password';

const FLOW = `id: kestra_e2e
namespace: e2e.kestra
description: Runs here, then on a Kestra server.

inputs:
  - id: who
    type: STRING
    defaults: world

tasks:
  - id: greet
    type: io.kestra.plugin.core.debug.Return
    format: "hello {{ inputs.who }}"

  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.greet.value }} from Kestra"
`;

let kestra: KestraStandIn;

test.beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  // A slower pace than the unit tests, so the page can be seen following the run.
  kestra = await startKestraStandIn({ basic: { username: 'admin@kestra.io', password: PASSWORD }, stepMs: 250 });
});
test.afterAll(async () => kestra?.close());

test('save a Kestra server, deploy with the diff first, then run on Kestra and watch it in the cells', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const settings = new KestraServersSection(page);
  await settings.goto();
  await settings.addBasic('stand-in', kestra.url, 'admin@kestra.io', PASSWORD);
  await expect(settings.server('stand-in')).toContainText('basic auth as admin@kestra.io, password stored (encrypted)');
  await expect(page.locator('body')).not.toContainText(PASSWORD);
  await expect(await settings.check('stand-in')).toHaveText(`Kestra at ${kestra.url} (tenant main) answered, and accepted the credentials.`);
  await settings.root.screenshot({ path: `${SHOTS}/kestra-settings-servers.png` });

  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(FLOW);
  const nb = new NotebookPage(page);
  await nb.expectOpen('kestra_e2e');

  // Deploy: the comparison comes first, every line of the new flow shown as added; nothing is sent yet.
  const menu = new KestraMenu(page);
  const deploy = new DeployDialogObject(await menu.open('Deploy to Kestra…'));
  const label = 'flow e2e.kestra.kestra_e2e';
  await expect(deploy.summary).toHaveText('1 of 1 would change on stand-in (tenant main). Nothing has been sent yet.');
  await expect(deploy.item(label)).toHaveAttribute('data-action', 'create');
  await expect(deploy.diffLines(label, 'add').first()).toContainText('id: kestra_e2e');
  await expect(deploy.diffLines(label, 'add')).toHaveCount(FLOW.trimEnd().split('\n').length);
  expect(kestra.flows.size).toBe(0);
  await deploy.root.screenshot({ path: `${SHOTS}/kestra-deploy-diff.png` });
  await deploy.deploy();
  await expect(deploy.summary).toHaveText('Deployed to stand-in: 1 changed, 0 unchanged.');
  await expect(deploy.item(label)).toContainText('created · revision 1');
  expect(kestra.flows.get('e2e.kestra/kestra_e2e')?.source).toBe(FLOW);
  await page.keyboard.press('Escape');

  // An edit in the notebook, then Deploy again: the diff shows just that line changed.
  await nb.cell('say').replaceCode('{{ outputs.greet.value }} from a Kestra cluster');
  const again = new DeployDialogObject(await menu.open('Deploy to Kestra…'));
  await expect(again.item(label)).toHaveAttribute('data-action', 'update');
  await expect(again.diffLines(label, 'del')).toHaveText(['    message: "{{ outputs.greet.value }} from Kestra"']);
  await expect(again.diffLines(label, 'add')).toHaveText(['    message: "{{ outputs.greet.value }} from a Kestra cluster"']);
  await again.root.screenshot({ path: `${SHOTS}/kestra-deploy-update-diff.png` });
  await again.deploy();
  await expect(again.summary).toHaveText('Deployed to stand-in: 1 changed, 0 unchanged.');
  await expect(again.item(label)).toContainText('updated · revision 2');
  await page.keyboard.press('Escape');

  // Run on Kestra with the form's input; the cells follow the remote execution.
  await nb.input('who').fill('Ada');
  await page.waitForTimeout(1500);
  const run = await menu.open('Run on Kestra…');
  await expect(run.getByTestId('kestra-run-inputs')).toContainText('who = Ada');
  await run.getByRole('button', { name: '▶ Run on Kestra' }).click();
  const started = run.getByTestId('kestra-run-started');
  await expect(started).toContainText('Running on stand-in as execution');
  const link = started.getByTestId('kestra-execution-link');
  await expect(link).toHaveAttribute('href', new RegExp(`^${kestra.url}/ui/main/executions/e2e.kestra/kestra_e2e/\\w+$`));
  await run.screenshot({ path: `${SHOTS}/kestra-run-started.png` });
  const href = (await link.getAttribute('href')) ?? '';
  await page.keyboard.press('Escape');

  const greet = nb.cell('greet');
  const say = nb.cell('say');
  await greet.expectState('SUCCESS');
  await say.expectState('SUCCESS');
  await expect(say.root.getByText('remote · Kestra')).toBeVisible();
  const remote = say.root.getByTestId('remote-run-link');
  await expect(remote).toHaveText('on Kestra ↗');
  await expect(remote).toHaveAttribute('href', href);
  await expect(say.logLine('hello Ada from a Kestra cluster')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/kestra-remote-run-in-cells.png`, fullPage: true });
  await page.screenshot({ path: testInfo.outputPath('kestra-remote-run-in-cells.png'), fullPage: true });
  const executionId = href.split('/').pop() ?? '';
  expect(kestra.executions.get(executionId)?.execution.inputs).toEqual({ who: 'Ada' });

  // After a reload the run is still the cells' latest, read from Flowbook's own store.
  await page.reload();
  await nb.cell('say').expectState('SUCCESS');
  await expect(nb.cell('say').root.getByTestId('remote-run-link')).toBeVisible();
});

test('export a namespace into a git repository from the notebook, and import it back', async ({ page }) => {
  test.setTimeout(180_000);
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(FLOW.replace('id: kestra_e2e', 'id: exported_e2e').replace('namespace: e2e.kestra', 'namespace: e2e.layout'));
  const nb = new NotebookPage(page);
  await nb.expectOpen('exported_e2e');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-e2e-layout-'));
  try {
    const dialog = await new KestraMenu(page).open('Export namespace…');
    await expect(dialog.getByLabel('Namespace to export')).toHaveValue('e2e.layout');
    await dialog.getByLabel('Folder on this machine').fill(dir);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const result = dialog.getByTestId('export-layout-result');
    await expect(result).toContainText('_flows/exported_e2e.yml');
    await expect(dialog.getByTestId('export-commit')).toContainText('Flowbook export of e2e.layout: add flow e2e.layout.exported_e2e (_flows/exported_e2e.yml)');
    await dialog.screenshot({ path: `${SHOTS}/kestra-export-namespace.png` });
    expect(execFileSync('git', ['log', '--format=%s'], { cwd: dir, encoding: 'utf8' }).trim()).toBe('Flowbook export of e2e.layout: add flow e2e.layout.exported_e2e (_flows/exported_e2e.yml)');
    expect(fs.readFileSync(path.join(dir, '_flows/exported_e2e.yml'), 'utf8')).toBe(FLOW.replace('id: kestra_e2e', 'id: exported_e2e').replace('namespace: e2e.kestra', 'namespace: e2e.layout'));

    // The same folder imported: the notebook is there already, unchanged.
    await dialog.getByLabel('Layout folder to import').fill(dir);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByTestId('import-layout-result')).toContainText('unchanged');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
