/**
 * The real HTTP server (guard, headers, socket.io on the same port) over real sockets,
 * with a stand-in page handler; and server.ts itself refusing an unsafe binding.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../lib/server/app';
import { startHttpServer, type RunningServer } from '../../lib/server/http-server';
import { listenHost, securityConfig } from '../../lib/security/config';
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

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request with the path sent exactly as written (no normalisation, as `curl --path-as-is`). */
function send(method: string, rawPath: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function get(pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return send('GET', pathname, headers);
}

/** A finished execution whose snapshot a subscriber would receive. */
async function someExecution(): Promise<string> {
  const { id } = await app.notebooks.create('id: secret_flow\nnamespace: test.app\ntasks:\n  - id: only\n    type: io.kestra.plugin.core.debug.Return\n    format: the-private-output\n');
  const { executionId } = await app.runs.start(id, { mode: 'all' });
  await app.runs.settled(executionId);
  return executionId;
}

/**
 * Speaks engine.io long-polling by hand on a raw base path: handshake, socket.io connect,
 * `execution:subscribe`, then polls. Returns every answer, so a test can see how far it got.
 */
async function pollingSubscribe(basePath: string, executionId: string, headers: Record<string, string> = {}, later: Record<string, string> = headers): Promise<{ statuses: number[]; text: string }> {
  const statuses: number[] = [];
  let text = '';
  const step = async (method: string, sid: string | undefined, body?: string, h = later) => {
    const res = await send(method, `${basePath}?EIO=4&transport=polling${sid ? `&sid=${sid}` : ''}`, { ...h, ...(body ? { 'content-type': 'text/plain;charset=UTF-8' } : {}) }, body);
    statuses.push(res.status);
    text += res.body;
    return res;
  };
  const open = await step('GET', undefined, undefined, headers);
  const sid = open.status === 200 ? (/"sid":"([^"]+)"/.exec(open.body)?.[1] ?? undefined) : undefined;
  if (!sid) return { statuses, text };
  await step('POST', sid, '40');
  await step('GET', sid);
  await step('POST', sid, `42${JSON.stringify(['execution:subscribe', { executionId }])}`);
  for (let i = 0; i < 3 && !text.includes('execution:snapshot'); i++) await step('GET', sid);
  return { statuses, text };
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

describe('paths as received (no normalisation)', () => {
  it('refuses the socket.io path that climbs to a public route, and its session never gets a snapshot', async () => {
    const executionId = await someExecution();
    const exact = await get('/socket.io/../api/health?EIO=4&transport=polling');
    expect(exact.status).toBe(400);
    expect(exact.body).not.toContain('"sid"');

    const attempt = await pollingSubscribe('/socket.io/../api/health', executionId);
    expect(attempt.text).not.toContain('execution:snapshot');
    expect(attempt.text).not.toContain('the-private-output');
  });

  it('refuses every socket.io request without the token, not only the handshake: a session id is not a credential', async () => {
    const executionId = await someExecution();
    const bearer = { authorization: `Bearer ${TOKEN}` };
    // With the token all along, the subscription answers (the helper itself works).
    const allowed = await pollingSubscribe('/socket.io/', executionId, bearer);
    expect(allowed.text).toContain('execution:snapshot');
    // The handshake with the token, every later request without it.
    const stolen = await pollingSubscribe('/socket.io/', executionId, bearer, {});
    expect(stolen.statuses[0]).toBe(200);
    expect(stolen.statuses.slice(1).every((s) => s === 401)).toBe(true);
    expect(stolen.text).not.toContain('execution:snapshot');
  });

  it('refuses dot segments, encoded dots and slashes, backslashes and double slashes on every route', async () => {
    const tricks = [
      '/api/../socket.io/?EIO=4&transport=polling',
      '/socket.io/%2e%2e/api/notebooks?EIO=4&transport=polling',
      '/socket.io/%2E%2E/api/health?EIO=4&transport=polling',
      '/socket.io/..%2fapi/health?EIO=4&transport=polling',
      '/socket.io/./?EIO=4&transport=polling',
      '/socket.io//?EIO=4&transport=polling',
      '/%2e%2e/api/notebooks',
      '/api/health/../notebooks',
      '/api/health/%2e%2e/notebooks',
      '/api/health%2f..%2fnotebooks',
      '/api/health%2F%2E%2E%2Fnotebooks',
      '/api/health/..',
      '/api/health/.',
      '/./api/health',
      '//api/notebooks',
      '//api/health',
      '/api//notebooks',
      '/api\\..\\notebooks',
      '/api/health%5c..%5cnotebooks',
      '/api/health%00',
      `http://127.0.0.1:${port}/api/notebooks`,
    ];
    const answers: Record<string, number> = {};
    for (const trick of tricks) answers[trick] = (await get(trick)).status;
    for (const trick of tricks) expect({ trick, status: answers[trick] }).toEqual({ trick, status: 400 });
    // The same tricks with the token are refused too: they are malformed, not unauthorised.
    expect((await get('/api/../api/notebooks', { authorization: `Bearer ${TOKEN}` })).status).toBe(400);
    // The plain paths still work: health without the token, the rest with it.
    expect((await get('/api/health')).status).toBe(200);
    expect((await get('/api/health?x=../..%2f')).status).toBe(200);
    expect((await get('/socket.io/?EIO=4&transport=polling')).status).toBe(401);
    expect((await get('/socket.io/?EIO=4&transport=polling', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('refuses a websocket upgrade on a climbing path or without the token', async () => {
    const upgrade = (rawPath: string, headers: Record<string, string> = {}) =>
      new Promise<number | 'upgraded' | 'closed'>((resolve) => {
        const req = http.request({
          host: '127.0.0.1',
          port,
          path: rawPath,
          agent: false,
          headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
        });
        req.on('upgrade', (_res, socket) => {
          socket.destroy();
          resolve('upgraded');
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve('closed'));
        req.end();
      });
    expect(await upgrade('/socket.io/../api/health?EIO=4&transport=websocket')).not.toBe('upgraded');
    expect(await upgrade('/socket.io/?EIO=4&transport=websocket')).not.toBe('upgraded');
    expect(await upgrade('/socket.io/?EIO=4&transport=websocket', { authorization: `Bearer ${TOKEN}` })).toBe('upgraded');
  });
});

describe('bind address', () => {
  it('an inherited HOSTNAME leaves the server on 127.0.0.1 without a token', async () => {
    const env = { HOSTNAME: '0.0.0.0' };
    const hostname = listenHost({ env });
    expect(hostname).toBe('127.0.0.1');
    const security = securityConfig({ hostname, port: 0, env });
    expect(security.token).toBeUndefined();
    const local = await startHttpServer({ app, security, dev: false, hostname, port: 0, handle: async (_req, res) => void res.end('page') });
    try {
      expect((local.server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await new Promise<void>((resolve) => local.server.close(() => resolve()));
    }
  });

  it('listens where FLOWBOOK_HOST or --host says, --host first', () => {
    expect(listenHost({ env: { FLOWBOOK_HOST: '0.0.0.0', HOSTNAME: 'box' } })).toBe('0.0.0.0');
    expect(listenHost({ flag: '192.168.1.20', env: { FLOWBOOK_HOST: '0.0.0.0' } })).toBe('192.168.1.20');
    expect(listenHost({ env: { FLOWBOOK_HOST: ' ' } })).toBe('127.0.0.1');
    expect(() => listenHost({ flag: '', env: {} })).toThrow('--host needs an address');
  });
});

/** Runs server.ts until it exits; the settings given stop it before it builds anything. */
async function serverTs(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, HOSTNAME: '', FLOWBOOK_HOST: '', PORT: '0', FLOWBOOK_DATA_DIR: path.join(app.dataDir, 'unused'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

describe('server.ts', () => {
  it('refuses to listen beyond loopback when FLOWBOOK_TOKEN is empty, by FLOWBOOK_HOST or --host', async () => {
    for (const [args, env] of [[[], { FLOWBOOK_HOST: '0.0.0.0' }], [['--host', '0.0.0.0'], {}]] as const) {
      const { code, output } = await serverTs([...args], { ...env, FLOWBOOK_TOKEN: '' });
      expect(code).toBe(1);
      expect(output).toContain('refusing to listen on 0.0.0.0 without an access token');
    }
  });

  it('ignores an inherited HOSTNAME: it gets past the binding on loopback with no token asked for', async () => {
    // An unsupported DATABASE_URL stops the start right after the binding is decided, before
    // the database, the engine or Next.js are touched.
    const { code, output } = await serverTs([], { HOSTNAME: '0.0.0.0', FLOWBOOK_TOKEN: '', DATABASE_URL: 'unsupported://x' });
    expect(code).toBe(1);
    expect(output).not.toContain('refusing to listen');
    expect(output).toContain('DATABASE_URL must be');
  });

  it('refuses an unknown option', async () => {
    const { code, output } = await serverTs(['--hots', '0.0.0.0'], {});
    expect(code).toBe(1);
    expect(output).toMatch(/Unknown option '--hots'/);
  });
});
