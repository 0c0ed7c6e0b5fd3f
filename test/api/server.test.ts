/**
 * The real HTTP server (guard, headers, socket.io on the same port) over real sockets,
 * with a stand-in page handler; and server.ts itself refusing an unsafe binding.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import http from 'node:http';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../lib/server/app';
import { startHttpServer, type RunningServer } from '../../lib/server/http-server';
import { securityConfig } from '../../lib/security/config';
import { testApp } from './harness';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'smoke-test-token-abcdefghijkl';
let app: App;
let running: RunningServer;
let port: number;
let seenNonce: string | undefined;

beforeAll(async () => {
  app = await testApp('sqlite');
  // Bind first on a free port, then restart on it so the allowed hosts name the real port.
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  running = await startHttpServer({
    app,
    security: securityConfig({ hostname: '127.0.0.1', port, env: { FLOWBOOK_TOKEN: TOKEN } }),
    dev: false,
    hostname: '127.0.0.1',
    port,
    handle: async (req, res) => {
      seenNonce = req.headers['x-nonce'] as string | undefined;
      res.setHeader('content-type', 'text/plain');
      res.end(`page ${req.url}`);
    },
  });
});
afterAll(async () => {
  await running?.close();
  await app?.close();
});

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the running server', () => {
  it('asks a browser without the token for it, with a script-free page', async () => {
    const res = await get('/notebooks', { accept: 'text/html' });
    expect(res.status).toBe(401);
    expect(res.body).toContain('Access token required');
    expect(res.body).not.toContain('<script');
  });

  it('swaps ?token= for a cookie, then serves pages with a nonce CSP and hardening headers', async () => {
    const first = await get(`/notebooks?token=${TOKEN}`, { accept: 'text/html' });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/notebooks');
    const cookie = String(first.headers['set-cookie']?.[0]).split(';')[0];
    expect(cookie).toBe(`flowbook_token_${port}=${TOKEN}`);

    const page = await get('/notebooks', { accept: 'text/html', cookie });
    expect(page.status).toBe(200);
    expect(page.body).toBe('page /notebooks');
    const csp = String(page.headers['content-security-policy']);
    expect(seenNonce).toBeTruthy();
    expect(csp).toContain(`'nonce-${seenNonce}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a rebinding Host even with the token, and a foreign Origin', async () => {
    expect((await get('/api/notebooks', { host: `attacker.example:${port}`, authorization: `Bearer ${TOKEN}` })).status).toBe(403);
    expect((await get('/api/notebooks', { origin: 'http://attacker.example', authorization: `Bearer ${TOKEN}` })).status).toBe(403);
    expect((await get('/api/notebooks', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await get('/api/health')).status).toBe(200);
  });

  it('runs socket.io on the same port behind the same check', async () => {
    const outcome = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const s = connect(`http://127.0.0.1:${port}`, { path: '/socket.io', extraHeaders: headers, reconnection: false, forceNew: true });
        s.once('connect', () => {
          s.close();
          resolve('connected');
        });
        s.once('connect_error', (e) => {
          s.close();
          resolve(e.message);
        });
      });
    expect(await outcome({})).not.toBe('connected');
    expect(await outcome({ authorization: `Bearer ${TOKEN}` })).toBe('connected');
  });
});

describe('server.ts', () => {
  it('refuses to listen beyond loopback when FLOWBOOK_TOKEN is empty', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server.ts')], {
      cwd: ROOT,
      env: { ...process.env, HOSTNAME: '0.0.0.0', PORT: '0', FLOWBOOK_TOKEN: '', FLOWBOOK_DATA_DIR: path.join(app.dataDir, 'unused') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('refusing to listen on 0.0.0.0 without an access token');
  });
});
