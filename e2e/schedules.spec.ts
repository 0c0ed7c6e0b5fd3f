import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';

const monthlyFlow = `id: monthly_backfill
namespace: e2e
description: One file name per month, from the schedule's date.

inputs:
  - id: taxi
    type: SELECT
    values: [green, yellow]
    defaults: yellow

tasks:
  - id: month
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.taxi }}_tripdata_{{ trigger.date | date('yyyy-MM') }}.csv"

  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "file {{ outputs.month.value }}"

triggers:
  - id: green_schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 1 * *"
    inputs:
      taxi: green
`;

// The backfill form reads date-times in the browser's zone; pinned so the window holds the same slots everywhere.
test.use({ timezoneId: 'UTC' });

test('backfill a monthly schedule over a quarter, then switch the trigger off in the YAML', async ({ page }, testInfo) => {
  // Room for the dev server compiling four routes on first use.
  test.setTimeout(180_000);
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(monthlyFlow);
  const nb = new NotebookPage(page);
  await nb.expectOpen('monthly_backfill');

  await page.getByRole('button', { name: 'Schedules (1 on)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedules' });
  const schedule = dialog.getByRole('region', { name: 'Schedule green_schedule' });
  await expect(schedule.getByTestId('schedule-description')).toHaveText('At 09:00 AM, on day 1 of the month');
  await expect(schedule.getByTestId('schedule-next')).toContainText('Next run');
  await expect(schedule.getByRole('switch', { name: 'Schedule green_schedule on' })).toHaveAttribute('aria-checked', 'true');

  await expect(schedule.getByLabel('Backfill labels')).toHaveValue('backfill=true');
  await expect(schedule.getByLabel('Backfill input taxi')).toHaveValue('green');
  await schedule.getByLabel('Backfill start').fill('2019-01-01T00:00');
  await schedule.getByLabel('Backfill end').fill('2019-03-31T23:59');
  await schedule.getByRole('button', { name: 'Start backfill' }).click();

  await expect(schedule.getByRole('status')).toHaveText('3 executions started (also listed under Runs)');
  const runs = schedule.getByTestId('backfill-run');
  await expect(runs).toHaveCount(3);
  for (const [i, month] of ['2019-01', '2019-02', '2019-03'].entries()) {
    const run = runs.nth(i);
    await expect(run).toHaveAttribute('data-state', 'SUCCESS');
    await expect(run.getByTestId('backfill-outputs')).toContainText(`month: value = green_tripdata_${month}.csv`);
    await expect(run.getByTestId('backfill-logs')).toContainText(`say · file green_tripdata_${month}.csv`);
  }
  await dialog.screenshot({ path: testInfo.outputPath('schedules-dialog.png') });

  await schedule.getByRole('switch', { name: 'Schedule green_schedule on' }).click();
  await expect(schedule.getByRole('switch', { name: 'Schedule green_schedule on' })).toHaveAttribute('aria-checked', 'false');
  await expect(schedule.getByTestId('schedule-next')).toContainText('Off: it does not fire');
  await expect(schedule.getByRole('button', { name: 'Start backfill' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Schedules (0 on)' })).toBeVisible();

  // The backfill's executions are runs of the notebook like any other.
  await expect(page.getByTestId('runs').getByRole('listitem')).toHaveCount(3);

  const yaml = await nb.exportedYaml();
  expect(yaml).toContain('    inputs:\n      taxi: green\n    disabled: true\n');
  expect(yaml.replace('    disabled: true\n', '')).toBe(monthlyFlow);
});
