import { expect, type Locator, type Page } from '@playwright/test';

/** Settings → Kestra servers. */
export class KestraServersSection {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('#kestra-servers');
  }

  async goto() {
    await this.page.goto('/settings');
    await expect(this.root.getByRole('heading', { name: 'Kestra servers' })).toBeVisible();
  }

  /** Adds a server with basic auth, the password typed in (stored encrypted). */
  async addBasic(name: string, url: string, user: string, password: string) {
    await this.root.getByRole('button', { name: '+ Add Kestra server' }).click();
    const form = this.root.getByRole('form', { name: 'Add a Kestra server' });
    await form.getByLabel('Server name', { exact: true }).fill(name);
    await form.getByLabel('Server URL', { exact: true }).fill(url);
    await form.getByLabel('User', { exact: true }).fill(user);
    await form.getByLabel('Password', { exact: true }).fill(password);
    await form.getByRole('button', { name: 'Add server' }).click();
    await expect(this.server(name)).toBeVisible();
  }

  server(name: string): Locator {
    return this.root.getByRole('listitem', { name: `Kestra server ${name}` });
  }

  async check(name: string): Promise<Locator> {
    await this.server(name).getByRole('button', { name: 'Check' }).click();
    return this.server(name).getByTestId('kestra-server-check');
  }
}

/** The notebook's Kestra menu and its dialogs. */
export class KestraMenu {
  constructor(readonly page: Page) {}

  async open(item: 'Deploy to Kestra…' | 'Run on Kestra…' | 'Export namespace…'): Promise<Locator> {
    await this.page.getByRole('button', { name: /Kestra ▾/ }).click();
    await this.page.getByRole('menuitem', { name: item }).click();
    const dialog = this.page.getByRole('dialog', { name: item.replace('…', '') });
    await expect(dialog).toBeVisible();
    return dialog;
  }
}

/** The Deploy to Kestra dialog. */
export class DeployDialogObject {
  readonly summary: Locator;
  readonly items: Locator;

  constructor(readonly root: Locator) {
    this.summary = root.getByTestId('deploy-summary');
    this.items = root.getByTestId('deploy-item');
  }

  item(label: string): Locator {
    return this.root.getByRole('region', { name: label });
  }

  diffLines(label: string, kind: 'add' | 'del' | 'same'): Locator {
    return this.item(label).locator(`[data-testid="deploy-diff"] [data-kind="${kind}"] > span:last-child`);
  }

  async deploy() {
    await this.root.getByRole('button', { name: /^Deploy \d+ change/ }).click();
  }
}
