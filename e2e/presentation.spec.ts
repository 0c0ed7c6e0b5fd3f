import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { FollowPage, makeShareLink } from './pages/FollowPage';

const SHOTS = '/tmp/flowbook-shots';

test('presentation mode steps through the 01 sample with the keyboard, runs a cell with Enter, and a following viewer sees the same slide', async ({ page, browser }) => {
  test.setTimeout(300_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const home = new HomePage(page);
  await home.goto();
  await home.item('01_hello_world').first().getByRole('link').first().click();
  await new NotebookPage(page).expectOpen('01_hello_world');
  const link = await makeShareLink(page);

  const viewerContext = await browser.newContext();
  const viewer = new FollowPage(await viewerContext.newPage());
  await viewer.open(link);

  await page.getByTestId('present-open').click();
  const deck = page.getByTestId('presentation');
  const slide = deck.getByTestId('slide');
  await expect(slide).toHaveAttribute('data-task-id', 'hello_message');
  await expect(slide.getByTestId('slide-code')).toHaveText('{{ render(vars.welcome_message) }}');
  await expect(deck.getByTestId('progress-cell')).toHaveCount(5);

  await page.keyboard.press('ArrowRight');
  await expect(slide).toHaveAttribute('data-task-id', 'generate_output');
  await page.keyboard.press('Space');
  await expect(slide).toHaveAttribute('data-task-id', 'sleep');
  await page.keyboard.press('ArrowLeft');
  await expect(slide).toHaveAttribute('data-task-id', 'generate_output');
  await expect(deck.getByTestId('progress-cell').nth(1)).toHaveAttribute('aria-current', 'step');

  // The viewer is on the same slide, in the presentation layout.
  const followed = viewer.page.getByTestId('follow-presentation');
  await expect(followed).toHaveAttribute('data-task-id', 'generate_output');
  await expect(followed.getByTestId('slide-code')).toHaveText('I was generated during this workflow.');

  await page.keyboard.press('Enter');
  await expect(slide).toHaveAttribute('data-state', 'SUCCESS', { timeout: 60_000 });
  await expect(deck.getByTestId('slide-output')).toContainText('I was generated during this workflow.');
  await expect(deck.getByTestId('progress-cell').nth(1)).toHaveAttribute('data-state', 'SUCCESS');
  await expect(followed.getByTestId('slide')).toHaveAttribute('data-state', 'SUCCESS');
  await page.screenshot({ path: `${SHOTS}/presentation-teacher.png` });
  await viewer.page.screenshot({ path: `${SHOTS}/presentation-viewer.png` });

  await page.keyboard.press('Escape');
  await expect(deck).toBeHidden();
  await expect(followed).toBeHidden();
  await viewerContext.close();
});
