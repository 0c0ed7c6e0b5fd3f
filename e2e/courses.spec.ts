import fs from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { brokenFlow } from './flows';

const SHOTS = '/tmp/flowbook-shots';

const flow = (id: string) => `id: ${id}
namespace: e2e.course
description: The ${id} step.

tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: ${id}
`;

test('a course .zip imported on the home page shows as a collection with its notebooks in order, bad files listed with line and column', async ({ page }) => {
  test.setTimeout(300_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const zip = zipSync({
    'pipelines/README.md': strToU8('# Pipelines 101\n\nThree small flows.\n'),
    'pipelines/10_publish.yaml': strToU8(flow('publish')),
    'pipelines/02_transform.yaml': strToU8(flow('transform')),
    'pipelines/01_extract.yaml': strToU8(flow('extract')),
    'pipelines/01_extract.md': strToU8('Run this one first.\n'),
    'pipelines/03_broken.yaml': strToU8(brokenFlow),
    'pipelines/_files/e2e.course/query.sql': strToU8('SELECT 1;\n'),
  });
  const home = new HomePage(page);
  await home.goto();
  // The sample flows are a course of their own.
  await expect(page.getByTestId('collection').first().getByTestId('collection-title')).toHaveText('Workflow orchestration with Kestra');

  await page.getByRole('button', { name: 'Import course' }).click();
  await page.getByLabel('Course zip').setInputFiles({ name: 'pipelines.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  const result = page.getByTestId('course-import-result');
  await expect(result).toContainText('Imported Pipelines 101: 3 notebooks, 1 namespace file.');
  await expect(result.getByTestId('course-problem')).toHaveText([/^03_broken\.yaml:7:5: /]);
  await page.screenshot({ path: `${SHOTS}/course-import.png` });
  await page.getByRole('button', { name: 'Done' }).click();

  const course = page.locator('[data-testid="collection"][data-title="Pipelines 101"]');
  await expect(course.getByTestId('notebook-title')).toHaveText(['extract', 'transform', 'publish']);
  await course.getByText('Notes on extract').click();
  await expect(course.getByTestId('notebook-notes')).toContainText('Run this one first.');
  await page.screenshot({ path: `${SHOTS}/course-collection.png`, fullPage: true });

  // Its export is the same layout back (the broken flow was never imported).
  const exported = await page.request.get(await course.getByTestId('collection-export').getAttribute('href') ?? '');
  expect(exported.status()).toBe(200);
  expect(exported.headers()['content-disposition']).toContain('pipelines.zip');
  expect(Object.keys(unzipSync(new Uint8Array(await exported.body()))).sort()).toEqual(
    ['README.md', '01_extract.yaml', '01_extract.md', '02_transform.yaml', '10_publish.yaml', '_files/e2e.course/query.sql'].map((f) => `pipelines/${f}`).sort(),
  );
});
