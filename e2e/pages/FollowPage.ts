import { expect, type Locator, type Page } from '@playwright/test';

/** A student's page opened from a share link. */
export class FollowPage {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('follow-view');
  }

  async open(url: string) {
    await this.page.goto(url);
    await expect(this.root).toBeVisible();
  }

  cell(taskId: string): Locator {
    return this.page.locator(`[data-testid="follow-cell"][data-follow-cell="${taskId}"]`);
  }

  async expectState(taskId: string, state: string, timeout = 60_000) {
    await expect(this.cell(taskId)).toHaveAttribute('data-state', state, { timeout });
  }

  /** Every log line shown, cell by cell. */
  async transcript(): Promise<string> {
    return (await this.page.getByTestId('follow-logs').allInnerTexts()).join('\n---\n');
  }
}

/** The teacher's share dialog on the notebook page: makes a link and returns it. */
export async function makeShareLink(page: Page): Promise<string> {
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-create').click();
  const input = page.getByTestId('share-link');
  await expect(input).toHaveValue(/\/follow\/.+\?viewer=v_/);
  const url = await input.inputValue();
  await page.keyboard.press('Escape');
  return url;
}
