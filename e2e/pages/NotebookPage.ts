import { expect, type Locator, type Page } from '@playwright/test';

export class CellObject {
  readonly root: Locator;
  readonly status: Locator;
  readonly logLines: Locator;
  readonly staleMarker: Locator;
  readonly editor: Locator;

  constructor(
    readonly page: Page,
    readonly taskId: string,
  ) {
    this.root = page.locator(`[data-testid="cell"][data-task-id="${taskId}"]`);
    this.status = this.root.getByTestId('cell-status');
    this.logLines = this.root.getByTestId('log-line');
    this.staleMarker = this.root.getByTestId('stale-marker');
    this.editor = this.root.locator('.cm-content');
  }

  async expectState(state: string) {
    await expect(this.root).toHaveAttribute('data-state', state);
  }

  async run() {
    await this.root.getByRole('button', { name: `Run cell ${this.taskId}` }).click();
  }

  async openTab(name: RegExp | string) {
    await this.root.getByRole('tab', { name }).click();
  }

  /** Replaces the editor's text and saves with Ctrl+S, waiting until the save lands. */
  async replaceCode(text: string) {
    await this.editor.click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.insertText(text);
    await this.page.keyboard.press('ControlOrMeta+s');
    await expect(this.root.getByText(/unsaved|saving…/)).toHaveCount(0);
  }

  logLine(text: string): Locator {
    return this.logLines.filter({ hasText: text });
  }
}

export class NotebookPage {
  readonly runAll: Locator;
  readonly exportButton: Locator;

  constructor(readonly page: Page) {
    this.runAll = page.getByRole('button', { name: 'Run all' });
    this.exportButton = page.getByRole('button', { name: 'Export YAML' });
  }

  async expectOpen(flowId: string) {
    await expect(this.page).toHaveURL(/\/notebooks\//);
    await expect(this.page.getByTestId('flow-id')).toHaveText(flowId);
  }

  cell(taskId: string): CellObject {
    return new CellObject(this.page, taskId);
  }

  /** The exported YAML as shown in the export dialog. */
  async exportedYaml(): Promise<string> {
    await this.exportButton.click();
    const pre = this.page.getByTestId('export-yaml');
    await expect(pre).toBeVisible();
    return (await pre.textContent()) ?? '';
  }
}
