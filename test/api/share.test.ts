/**
 * Share links over the real HTTP server and socket.io: a viewer token reads one notebook
 * and the runs started since, live; every write (HTTP or socket event) is refused, also
 * through raw unnormalised paths; links expire and revoke; the access token stays separate.
 */
import http from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../lib/server/app';
import { startHttpServer, type RunningServer } from '../../lib/server/http-server';
import { securityConfig } from '../../lib/security/config';
import { checkRequest } from '../../lib/security/guard';
import { ViewerTokens } from '../../lib/security/viewers';
import type { ClientToServerEvents, ExecutionSnapshotPayload, NotebookFocus, ServerToClientEvents } from '../../lib/contract';
import { testApp } from './harness';

const TOKEN = 'share-test-token-abcdefghijkl';
const FLOW = 'id: shared\nnamespace: test.share\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hello class\n';
let app: App;
let running: RunningServer;
let port: number;
let viewers: ViewerTokens;
let notebookId: string;
let otherNotebookId: string;

beforeAll(async () => {
  app = await testApp('sqlite');
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  viewers = new ViewerTokens();
  running = await startHttpServer({
    app,
    security: { ...securityConfig({ hostname: '127.0.0.1', port, env: { FLOWBOOK_TOKEN: TOKEN } }), viewers },
    viewers,
    dev: false,
    hostname: '127.0.0.1',
    port,
    handle: async (req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`served ${req.method} ${req.url}`);
    },
  });
  notebookId = (await app.notebooks.create(FLOW)).id;
  otherNotebookId = (await app.notebooks.create(FLOW.replace('id: shared', 'id: other'))).id;
});
afterAll(async () => {
  await running?.close();
  await app?.close();
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };
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

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
function client(headers: Record<string, string>): Client {
  return connect(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['polling'], extraHeaders: headers, reconnection: false, forceNew: true });
}
const connected = (s: Client) => new Promise<string>((resolve) => { s.once('connect', () => resolve('connected')); s.once('connect_error', (e) => resolve(e.message)); });

describe('a share link', () => {
  it('is a token kept only as a hash, checked in constant time, that expires and revokes', () => {
    let now = 1_000_000;
    const store = new ViewerTokens(() => now);
    const { token, link } = store.create('nb', 120_000);
    expect(JSON.stringify(store.list('nb'))).not.toContain(token);
    expect(store.check(token)?.notebookId).toBe('nb');
    expect(store.check(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    now += 120_001;
    expect(store.check(token)).toBeUndefined();
    const second = store.create('nb');
    expect(store.revoke('other', second.link.id)).toBe(false);
    expect(store.revoke('nb', second.link.id)).toBe(true);
    expect(store.check(second.token)).toBeUndefined();
    expect(link.expiresAt).toBe(new Date(1_000_000 + 120_000).toISOString());
  });

  it('reads its notebook and the runs started since, and nothing else; every write is refused', async () => {
    const { token } = viewers.create(notebookId);
    const v = { 'x-flowbook-viewer': token };
    expect((await send('GET', `/api/notebooks/${notebookId}`, v)).status).toBe(200);
    expect((await send('GET', `/follow/${notebookId}`, v)).status).toBe(200);
    expect((await send('GET', `/api/notebooks/${otherNotebookId}`, v)).status).toBe(403);
    expect((await send('GET', '/api/notebooks', v)).status).toBe(403);
    expect((await send('GET', `/notebooks/${notebookId}`, v)).status).toBe(403);
    expect((await send('GET', '/api/settings', v)).status).toBe(403);
    expect((await send('GET', '/api/secrets', v)).status).toBe(403);
    // A run started before the viewer followed is not theirs to read.
    const before = await app.runs.start(otherNotebookId, { mode: 'all' });
    await app.runs.settled(before.executionId);
    expect((await send('GET', `/api/executions/${before.executionId}`, v)).status).toBe(403);
    expect((await send('GET', `/api/executions/${before.executionId}/report`, v)).status).toBe(403);
    for (const [method, path] of [
      ['POST', `/api/notebooks/${notebookId}/runs`],
      ['POST', `/api/notebooks/${notebookId}/runs/stale`],
      ['PUT', `/api/notebooks/${notebookId}`],
      ['PATCH', `/api/notebooks/${notebookId}/cells/say`],
      ['DELETE', `/api/notebooks/${notebookId}`],
      ['POST', `/api/notebooks/${notebookId}/share`],
      ['GET', `/api/notebooks/${notebookId}/share`],
      ['DELETE', `/api/notebooks/${notebookId}/share/x`],
      ['POST', `/api/notebooks/${notebookId}/inputs`],
      ['POST', `/api/notebooks/${notebookId}/uploads`],
      ['POST', '/api/notebooks'],
      ['POST', `/api/executions/${before.executionId}/cancel`],
      ['POST', `/api/executions/${before.executionId}/resume`],
      ['PUT', '/api/settings'],
      ['POST', '/api/secrets'],
      ['POST', '/api/postgres/start'],
      ['POST', '/api/kestra/deploy'],
      ['HEAD', `/api/notebooks/${notebookId}/share`],
    ]) {
      const res = await send(method, path, { ...v, 'content-type': 'application/json' }, method === 'GET' || method === 'HEAD' ? undefined : '{}');
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    // Raw unnormalised paths that would climb from an allowed prefix to a write.
    for (const raw of [
      `/follow/${notebookId}/../../api/notebooks/${notebookId}/runs`,
      `/api/notebooks/${notebookId}/%2e%2e/${otherNotebookId}`,
      `/api/notebooks/${notebookId}//runs`,
      `/_next/static/../../api/settings`,
      `/socket.io/../api/notebooks/${notebookId}/runs`,
    ]) {
      expect((await send('POST', raw, v, '{}')).status, raw).toBe(400);
      expect((await send('GET', raw, v)).status, raw).toBe(400);
    }
  });

  it('is refused when unknown, revoked or sent where the access token is expected; the access token is not a viewer', async () => {
    const { token, link } = viewers.create(notebookId);
    expect((await send('GET', `/api/notebooks/${notebookId}`, { 'x-flowbook-viewer': 'v_nope' })).status).toBe(401);
    expect((await send('GET', `/api/notebooks/${notebookId}`, { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await send('GET', `/api/notebooks/${notebookId}/share`)).status).toBe(401);
    expect((await send('GET', `/api/notebooks/${notebookId}/share`, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    viewers.revoke(notebookId, link.id);
    expect((await send('GET', `/api/notebooks/${notebookId}`, { 'x-flowbook-viewer': token })).status).toBe(401);
  });

  it('swaps ?viewer= on the follow page for an HttpOnly cookie and drops it from the address', async () => {
    const { token } = viewers.create(notebookId);
    const first = await send('GET', `/follow/${notebookId}?viewer=${token}`, { accept: 'text/html' });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe(`/follow/${notebookId}`);
    const cookie = String(first.headers['set-cookie']?.[0]);
    expect(cookie).toMatch(new RegExp(`^flowbook_viewer_${port}=`));
    expect(cookie).toContain('HttpOnly');
    const jar = cookie.split(';')[0];
    expect((await send('GET', `/follow/${notebookId}`, { cookie: jar })).status).toBe(200);
    expect((await send('POST', `/api/notebooks/${notebookId}/runs`, { cookie: jar }, '{}')).status).toBe(403);
  });

  it('on a loopback server without an access token, a viewer is still read-only', () => {
    const store = new ViewerTokens();
    const config = { ...securityConfig({ hostname: '127.0.0.1', port: 4000, env: {} }), viewers: store };
    const { token } = store.create('nb');
    const req = (method: string, url: string) => checkRequest({ method, url, headers: { host: '127.0.0.1:4000', 'x-flowbook-viewer': token } }, config);
    expect(req('GET', '/api/notebooks/nb').ok).toBe(true);
    expect(req('POST', '/api/notebooks/nb/runs').ok).toBe(false);
    expect(checkRequest({ method: 'POST', url: '/api/notebooks/nb/runs', headers: { host: '127.0.0.1:4000' } }, config).ok).toBe(true);
  });
});

describe('a share link over socket.io', () => {
  it('follows the teacher live (runs, logs, focus), and its own events that would change anything are refused', async () => {
    const { token } = viewers.create(notebookId);
    const teacher = client({ authorization: `Bearer ${TOKEN}` });
    const viewer = client({ 'x-flowbook-viewer': token });
    expect(await connected(teacher)).toBe('connected');
    expect(await connected(viewer)).toBe('connected');
    teacher.emit('notebook:subscribe', { notebookId });
    viewer.emit('notebook:subscribe', { notebookId });
    const refusals: string[] = [];
    viewer.on('subscribe:error', (p) => refusals.push(p.error));
    // A viewer cannot move the class or follow another notebook.
    const teacherFoci: NotebookFocus[] = [];
    teacher.on('notebook:focus', (f) => teacherFoci.push(f));
    viewer.emit('notebook:focus', { notebookId, taskId: 'hijack' });
    viewer.emit('notebook:subscribe', { notebookId: otherNotebookId });
    const viewerFocus = new Promise<NotebookFocus>((resolve) => viewer.once('notebook:focus', resolve));
    await new Promise((r) => setTimeout(r, 200));
    teacher.emit('notebook:focus', { notebookId, taskId: 'say', presenting: true });
    expect(await viewerFocus).toEqual({ notebookId, taskId: 'say', presenting: true });
    expect(teacherFoci).toEqual([]);

    const announced = new Promise<string>((resolve) => viewer.once('notebook:execution', (e) => resolve(e.id)));
    const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
    expect(await announced).toBe(executionId);
    await app.runs.settled(executionId);
    const snapshot = new Promise<ExecutionSnapshotPayload>((resolve) => viewer.once('execution:snapshot', resolve));
    viewer.emit('execution:subscribe', { executionId });
    expect((await snapshot).logs.map((l) => l.message)).toContain('hello class');

    // An execution of another notebook is not given.
    const other = await app.runs.start(otherNotebookId, { mode: 'all' });
    await app.runs.settled(other.executionId);
    const refused = new Promise<string>((resolve) => viewer.once('subscribe:error', (p) => resolve(p.error)));
    viewer.emit('execution:subscribe', { executionId: other.executionId });
    expect(await refused).toMatch(/share link cannot send execution:subscribe/);
    expect(refusals.some((r) => r.includes('notebook:focus'))).toBe(true);
    expect(refusals.some((r) => r.includes('notebook:subscribe'))).toBe(true);
    teacher.close();
    viewer.close();
  });

  it('drops the sockets of a revoked link', async () => {
    const { token, link } = viewers.create(notebookId);
    const viewer = client({ 'x-flowbook-viewer': token });
    expect(await connected(viewer)).toBe('connected');
    const gone = new Promise<string>((resolve) => viewer.once('disconnect', (reason) => resolve(reason)));
    viewers.revoke(notebookId, link.id);
    // Dropped by the server, or refused at its next poll by the guard: either way it is gone.
    expect(['io server disconnect', 'transport error']).toContain(await gone);
    viewer.close();
  });
});
