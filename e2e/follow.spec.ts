import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HomePage } from './pages/HomePage';
import { NotebookPage } from './pages/NotebookPage';
import { FollowPage, makeShareLink } from './pages/FollowPage';
import { threeQueriesFlow } from './flows';

const SHOTS = '/tmp/flowbook-shots';

test('a class follows the teacher: two viewers see the same live runs, and every write from a viewer is refused', async ({ page, browser }) => {
  test.setTimeout(180_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const hello = fs.readFileSync(path.join(import.meta.dirname, '..', 'flows', '01_hello_world.yaml'), 'utf8').replace('id: 01_hello_world', 'id: follow_hello');
  const home = new HomePage(page);
  await home.goto();
  await home.importByPaste(hello);
  const teacher = new NotebookPage(page);
  await teacher.expectOpen('follow_hello');
  const notebookUrl = page.url();
  const notebookId = decodeURIComponent(notebookUrl.split('/notebooks/')[1]);
  const link = await makeShareLink(page);

  const viewers = await Promise.all([browser.newContext(), browser.newContext()]);
  const pages = await Promise.all(viewers.map((c) => c.newPage()));
  const follow = pages.map((p) => new FollowPage(p));
  for (const f of follow) await f.open(link);
  await expect(follow[0].page).toHaveURL(/\/follow\/[^?]+$/);

  await teacher.runAll.click();
  for (const f of follow) await f.expectState('goodbye_message', 'SUCCESS', 90_000);
  const transcripts = await Promise.all(follow.map((f) => f.transcript()));
  expect(transcripts[0]).toContain('Hello, Will!');
  expect(transcripts[1]).toBe(transcripts[0]);
  await follow[0].page.screenshot({ path: `${SHOTS}/follow-viewer-01.png`, fullPage: true });

  // Every write a viewer's browser could send is refused: the share link only reads.
  for (const p of pages) {
    const request = p.request;
    const base = new URL(link).origin;
    const attempts = [
      await request.post(`${base}/api/notebooks/${encodeURIComponent(notebookId)}/runs`, { data: { mode: 'all' } }),
      await request.put(`${base}/api/notebooks/${encodeURIComponent(notebookId)}`, { data: { yaml: 'id: x', version: 1 } }),
      await request.post(`${base}/api/notebooks/${encodeURIComponent(notebookId)}/share`, { data: {} }),
      await request.post(`${base}/api/notebooks`, { data: { yaml: hello } }),
      await request.get(`${base}/api/notebooks`),
      await request.get(`${base}/api/settings`),
    ];
    expect(attempts.map((r) => r.status())).toEqual([403, 403, 403, 403, 403, 403]);
  }

  // A second flow with result grids: the viewers see the same rows.
  await home.goto();
  await home.importByPaste(threeQueriesFlow.replace('id: three_queries', 'id: follow_queries'));
  await teacher.expectOpen('follow_queries');
  const link2 = await makeShareLink(page);
  for (const f of follow) await f.open(link2);
  await teacher.runAll.click();
  for (const f of follow) await f.expectState('first', 'SUCCESS');
  const grids = await Promise.all(follow.map((f) => f.cell('first').innerText()));
  expect(grids[1]).toBe(grids[0]);
  await page.screenshot({ path: `${SHOTS}/follow-teacher.png` });
  await follow[1].page.screenshot({ path: `${SHOTS}/follow-viewer-queries.png`, fullPage: true });
  for (const c of viewers) await c.close();
});
