/**
 * End-to-end tests drive the real app (server.ts: Next.js, socket.io and the engine) in
 * Debian's Chromium. Each run gets a fresh data directory and a free port; both go into
 * the environment so Playwright's worker processes see the same values as this one.
 */
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

process.env.FLOWBOOK_E2E_PORT ??= String(await freePort());
process.env.FLOWBOOK_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'flowbook-e2e-'));
const port = Number(process.env.FLOWBOOK_E2E_PORT);
// FLOWBOOK_E2E_URL points the tests at a server that is already running (no webServer).
const externalURL = process.env.FLOWBOOK_E2E_URL;
const baseURL = externalURL ?? `http://127.0.0.1:${port}`;
// `npm start` (production build) by default; FLOWBOOK_E2E_SERVER=dev skips the build for quick local runs.
const serverCommand = process.env.FLOWBOOK_E2E_SERVER === 'dev' ? 'npm run dev' : 'npm start';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Tests share one server and its engine; running them one after another keeps runs apart.
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: externalURL
    ? undefined
    : {
        command: serverCommand,
        url: `${baseURL}/api/status`,
        timeout: 600_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        stderr: 'pipe',
        env: {
          PORT: String(port),
          FLOWBOOK_HOST: '127.0.0.1',
          FLOWBOOK_DATA_DIR: process.env.FLOWBOOK_E2E_DATA_DIR,
          NEXT_TELEMETRY_DISABLED: '1',
        },
      },
});
