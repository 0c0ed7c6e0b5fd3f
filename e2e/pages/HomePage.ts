import { expect, type Locator, type Page } from '@playwright/test';

export class HomePage {
  readonly importButton: Locator;
  readonly yamlBox: Locator;
  readonly submitImport: Locator;
  readonly issues: Locator;

  constructor(readonly page: Page) {
    this.importButton = page.getByRole('button', { name: 'Import flow' });
    this.yamlBox = page.getByLabel('Flow YAML');
    this.submitImport = page.getByRole('button', { name: 'Import', exact: true });
    this.issues = page.getByTestId('issue');
  }

  async goto() {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { name: 'Notebooks' })).toBeVisible();
  }

  /** Pastes the YAML into the import dialog and submits it. */
  async importByPaste(yaml: string) {
    await this.importButton.click();
    await this.yamlBox.fill(yaml);
    await this.submitImport.click();
  }

  item(flowId: string): Locator {
    return this.page.getByTestId('notebook-item').filter({ hasText: flowId });
  }
}
