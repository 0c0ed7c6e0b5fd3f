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

  /** Deletes the cell through its confirmation dialog. */
  async delete() {
    await this.root.getByRole('button', { name: `Delete cell ${this.taskId}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `Delete cell ${this.taskId}?` });
    await dialog.getByRole('button', { name: 'Delete cell' }).click();
    await expect(dialog).toBeHidden();
  }
}

/** The "add cell" form opened below a cell (or at the start of the flow). */
export class AddCellForm {
  readonly root: Locator;
  readonly taskType: Locator;
  readonly yaml: Locator;
  readonly insert: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('add-cell-form');
    this.taskType = this.root.getByLabel('Task type');
    this.yaml = this.root.getByLabel('New task YAML');
    this.insert = this.root.getByRole('button', { name: 'Insert cell' });
    this.error = this.root.getByTestId('add-cell-error');
  }
}

export class NotebookPage {
  readonly runAll: Locator;
  readonly runStale: Locator;
  readonly exportButton: Locator;
  readonly staleMarkers: Locator;

  constructor(readonly page: Page) {
    this.runAll = page.getByRole('button', { name: 'Run all' });
    this.runStale = page.getByRole('button', { name: 'Run stale cells' });
    this.staleMarkers = page.getByTestId('stale-marker');
    this.exportButton = page.getByRole('button', { name: 'Export YAML' });
  }

  async expectOpen(flowId: string) {
    await expect(this.page).toHaveURL(/\/notebooks\//);
    await expect(this.page.getByTestId('flow-id')).toHaveText(flowId);
  }

  /** The task ids of the cells whose badge says stale, in the order they are shown. */
  async staleCellIds(): Promise<string[]> {
    return this.page.locator('[data-testid="cell"][data-stale="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-task-id') ?? ''));
  }

  cell(taskId: string): CellObject {
    return new CellObject(this.page, taskId);
  }

  /** The task ids of the cells in the order they are shown. */
  async cellIds(): Promise<string[]> {
    return this.page.getByTestId('cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-task-id') ?? ''));
  }

  /** Opens the add-cell form below `afterTaskId` (null: at the start of the flow). */
  async openAddCell(afterTaskId: string | null): Promise<AddCellForm> {
    const name = afterTaskId ? `Add cell after ${afterTaskId}` : 'Add cell at the start';
    await this.page.getByRole('button', { name, exact: true }).click();
    const form = new AddCellForm(this.page);
    await expect(form.root).toBeVisible();
    return form;
  }

  /** The input widget of one flow input, by its label. */
  input(label: string): Locator {
    return this.page.getByTestId('inputs-form').getByLabel(label, { exact: true });
  }

  /** The exported YAML as shown in the export dialog. */
  async exportedYaml(): Promise<string> {
    await this.exportButton.click();
    const pre = this.page.getByTestId('export-yaml');
    await expect(pre).toBeVisible();
    return (await pre.textContent()) ?? '';
  }
}
