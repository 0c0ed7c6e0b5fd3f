import { expect, type Locator, type Page } from '@playwright/test';

/** The notebook page's Namespace files panel and the editor dialog it opens. */
export class NamespaceFilesPanel {
  readonly root: Locator;
  readonly tree: Locator;
  readonly dialog: Locator;
  readonly editor: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('namespace-files');
    this.tree = this.root.getByRole('tree');
    this.dialog = page.getByTestId('namespace-file-dialog');
    this.editor = this.dialog.locator('.cm-content');
    this.notice = page.getByTestId('namespace-file-notice');
  }

  /** A file or folder row of the tree, by the name it shows. */
  row(name: string): Locator {
    return this.tree.getByRole('button', { name, exact: true });
  }

  async treeText(): Promise<string[]> {
    return this.tree.getByRole('button').allTextContents();
  }

  /** Creates an empty file; its editor opens. */
  async create(path: string) {
    await this.root.getByRole('button', { name: '+ New file' }).click();
    await this.root.getByLabel('New file path').fill(path);
    await this.root.getByRole('button', { name: 'Create' }).click();
    await expect(this.dialog).toBeVisible();
  }

  async open(name: string) {
    await this.row(name).click();
    await expect(this.dialog).toBeVisible();
  }

  /** Replaces the open file's text and saves it with Ctrl+S. */
  async typeAndSave(text: string) {
    await this.editor.click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.insertText(text);
    await this.page.keyboard.press('ControlOrMeta+s');
  }

  async close() {
    await this.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await expect(this.dialog).toBeHidden();
  }
}
