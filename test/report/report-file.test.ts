/**
 * The report of a 03 run opened as a file in Chromium with the network off: it asks for
 * nothing, logs no console error, and shows the query grid and its chart. The products
 * come from a local server (the flow's products_url input), so the run needs no internet.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli';

const CHROMIUM = process.env.FLOWBOOK_CHROMIUM ?? '/usr/bin/chromium';
let dir: string;
let server: http.Server;
let url: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-report-file-'));
  const brands = ['Apple', 'Samsung', 'Essence', 'Glamour', 'Chic'];
  const products = { products: Array.from({ length: 30 }, (_, i) => ({ id: i, brand: brands[i % 5], price: 5 + i * 1.5, title: `p${i}` })) };
  server = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(products)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/products`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.runIf(fs.existsSync(CHROMIUM))('the report of a 03 run, opened from file://', () => {
  it('makes no request and no console error, and shows the query grid and chart', async () => {
    const out = path.join(dir, 'report.html');
    const r = await runCli(['run', path.join(REPO, 'flows/03_getting_started_data_pipeline.yaml'), '--storage', path.join(dir, 'data'), '--input', `products_url=${url}`, '--report', out]);
    expect(r.code, r.stderr).toBe(0);
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const context = await browser.newContext({ offline: true });
      const requests: string[] = [];
      const errors: string[] = [];
      await context.route('**/*', (route) => {
        if (route.request().url().startsWith('file://')) return route.continue();
        requests.push(route.request().url());
        return route.abort();
      });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${out}`);
      await page.waitForLoadState('load');
      const query = page.locator('[data-testid="report-cell"][data-task-id="query"]');
      await expect.poll(() => query.locator('[data-testid="result-grid"] tbody tr').count()).toBe(5);
      expect(await query.locator('[data-testid="grid-count"]').textContent()).toBe('5 rows');
      expect(await query.locator('[data-testid="chart"] svg rect').count()).toBe(5);
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      fs.mkdirSync('/tmp/flowbook-shots', { recursive: true });
      await page.screenshot({ path: '/tmp/flowbook-shots/report-03-file.png', fullPage: true });
    } finally {
      await browser.close();
    }
  }, 180_000);
});
