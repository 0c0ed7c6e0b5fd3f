/**
 * The stored inputs route, and the log download route: called as Next calls it, and behind
 * the real HTTP server's guard (no token, a raw `/api/../` path).
 */
import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import type { App } from '../../lib/server/app';
import type { ApiError, NotebookInputsDto } from '../../lib/contract';
import { startHttpServer, type RunningServer } from '../../lib/server/http-server';
import { securityConfig } from '../../lib/security/config';
import { testApp } from './harness';
import * as inputs from '../../app/api/notebooks/[id]/inputs/route';
import * as logDownload from '../../app/api/executions/[id]/logs/download/route';

const TOKEN = 'log-download-token-0123456789';
const MULTILINE = `id: printed
namespace: test.app
inputs:
  - id: who
    type: STRING
    defaults: world
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.who }}"
  - id: two_lines
    type: io.kestra.plugin.core.log.Log
    message: "first line\\nsecond line"
`;

let app: App;
let running: RunningServer;
let port: number;

beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
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
    // Stands in for Next: routes the normalised path to the log download handler.
    handle: async (req, res) => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const match = /^\/api\/executions\/([^/]+)\/logs\/download$/.exec(url.pathname);
      if (!match) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const answer = await logDownload.GET(new Request(url), { params: Promise.resolve({ id: match[1] }) });
      res.statusCode = answer.status;
      answer.headers.forEach((v, k) => res.setHeader(k, v));
      if (answer.body) Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream<Uint8Array>).pipe(res);
      else res.end();
    },
  });
});
afterAll(async () => {
  installApp(undefined);
  await running?.close();
  await app?.close();
});

const base = 'http://127.0.0.1:3000';
const params = <T>(p: T) => ({ params: Promise.resolve(p) });
const body = (method: string, value: unknown) => ({ method, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // `path` goes out as written: no client-side normalisation of `..`.
    const req = http.request({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('stored inputs route', () => {
  it('reads, saves, refuses a wrong value with the input at fault, and resets', async () => {
    const { id } = await app.notebooks.create(MULTILINE);
    const read = async () => (await (await inputs.GET(new Request(`${base}/x`), params({ id }))).json()) as NotebookInputsDto;
    expect(await read()).toEqual({ values: {} });
    const saved = await inputs.PUT(new Request(`${base}/x`, body('PUT', { values: { who: 'Ada' } })), params({ id }));
    expect(saved.status).toBe(200);
    expect(await read()).toEqual({ values: { who: 'Ada' } });
    const wrong = await inputs.PUT(new Request(`${base}/x`, body('PUT', { values: { nobody: 1 } })), params({ id }));
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as ApiError).inputId).toBe('nobody');
    expect((await inputs.PUT(new Request(`${base}/x`, body('PUT', { nope: true })), params({ id }))).status).toBe(400);
    expect((await inputs.DELETE(new Request(`${base}/x`, { method: 'DELETE' }), params({ id }))).status).toBe(200);
    expect(await read()).toEqual({ values: {} });
    expect((await inputs.GET(new Request(`${base}/x`), params({ id: 'missing' }))).status).toBe(404);
  });
});

describe('log download route', () => {
  let executionId: string;
  beforeAll(async () => {
    const { id } = await app.notebooks.create(MULTILINE);
    ({ executionId } = await app.runs.start(id, { mode: 'all', inputs: { who: 'Ada' } }));
    await app.runs.settled(executionId);
  });

  it('streams the stored log as text/plain, one line per log line in order', async () => {
    const res = await logDownload.GET(new Request(`${base}/api/executions/${executionId}/logs/download`), params({ id: executionId }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="printed-${executionId}.log"; filename*=UTF-8''printed-${executionId}.log`);
    const text = await res.text();
    const stored = await app.runs.logs(executionId);
    expect(text.split('\n').filter((l) => /^\d{4}-/.test(l))).toHaveLength(stored.length);
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}- execution .* started\n/);
    expect(text).toMatch(/Z INFO {2}hello hello Ada\n/);
    expect(text).toContain('two_lines first line\nsecond line\n');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/execution ended SUCCESS$/);
  });

  it('answers 404 for an execution that does not exist', async () => {
    const res = await logDownload.GET(new Request(`${base}/x`), params({ id: 'nope' }));
    expect(res.status).toBe(404);
    expect(((await res.json()) as ApiError).error).toContain('execution nope not found');
  });

  it('is behind the token, also by a raw /api/../ path, and serves with it', async () => {
    const direct = `/api/executions/${executionId}/logs/download`;
    expect((await get(direct)).status).toBe(401);
    for (const sneaky of [`/api/../api/executions/${executionId}/logs/download`, `/api/health/../executions/${executionId}/logs/download`, `/api/health/..%2Fexecutions/${executionId}/logs/download`]) {
      const res = await get(sneaky);
      // Refused either way: as a path that is not in its plain form (400), or for want of the token (401).
      expect([400, 401], sneaky).toContain(res.status);
      expect(res.body).not.toContain('hello Ada');
    }
    const ok = await get(direct, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.body).toContain('hello Ada');
  });
});
