/**
 * The namespace-file routes behind the real HTTP server and its guard, sent raw request
 * targets exactly as written (as `curl --path-as-is` sends them): files are created, saved
 * with a version, uploaded, renamed, downloaded and deleted; no path leaves the namespace's
 * folder; a share link's viewer token and a request without the token change nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../lib/server/app';
import { installApp } from '../../lib/server/app-holder';
import { startHttpServer, type RunningServer } from '../../lib/server/http-server';
import { securityConfig } from '../../lib/security/config';
import { ViewerTokens } from '../../lib/security/viewers';
import type { NamespaceFileContentDto, NamespaceFileListDto } from '../../lib/contract';
import * as filesRoute from '../../app/api/namespaces/[namespace]/files/route';
import * as contentRoute from '../../app/api/namespaces/[namespace]/files/content/route';
import * as uploadRoute from '../../app/api/namespaces/[namespace]/files/upload/route';
import * as renameRoute from '../../app/api/namespaces/[namespace]/files/rename/route';
import * as bundleRoute from '../../app/api/notebooks/[id]/export/bundle/route';
import { testApp } from './harness';

const TOKEN = 'namespace-files-token-abcdefgh';
const NS = 'company.team';
let app: App & { tmp: string };
let running: RunningServer;
let port: number;
let viewerToken: string;
let notebookId: string;

type Handler = (req: Request, ctx: { params: Promise<{ namespace: string }> }) => Promise<Response>;
const ROUTES: Record<string, Record<string, Handler | undefined>> = {
  '': { GET: filesRoute.GET, POST: filesRoute.POST },
  content: { GET: contentRoute.GET, PUT: contentRoute.PUT, DELETE: contentRoute.DELETE },
  upload: { POST: uploadRoute.POST },
  rename: { POST: renameRoute.POST },
};

/** Routes as Next.js does: the dynamic segment decoded once, the body the Node request itself. */
async function dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const m = /^\/api\/namespaces\/([^/]+)\/files(?:\/(content|upload|rename))?$/.exec(url.pathname);
  const handler = m ? ROUTES[m[2] ?? '']?.[req.method ?? 'GET'] : undefined;
  if (!m || !handler) {
    res.statusCode = 404;
    res.end('no route');
    return;
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE';
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
    body: hasBody ? (req as unknown as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
  } as RequestInit);
  const answer = await handler(request, { params: Promise.resolve({ namespace: decodeURIComponent(m[1]) }) });
  res.statusCode = answer.status;
  answer.headers.forEach((v, k) => res.setHeader(k, v));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const viewers = new ViewerTokens();
  const notebook = await app.notebooks.create(`id: shared\nnamespace: ${NS}\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`);
  notebookId = notebook.id;
  viewerToken = viewers.create(notebook.id).token;
  running = await startHttpServer({
    app,
    security: { ...securityConfig({ hostname: '127.0.0.1', port, env: { FLOWBOOK_TOKEN: TOKEN } }), viewers },
    viewers,
    dev: false,
    hostname: '127.0.0.1',
    port,
    handle: dispatch,
  });
});
afterAll(async () => {
  installApp(undefined);
  await running?.close();
  await app?.close();
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };
/** One request with the target exactly as given: nothing normalises or encodes it. */
function send(method: string, rawPath: string, opts: { headers?: Record<string, string>; body?: string | Buffer; auth?: 'token' | 'viewer' | 'none' } = {}): Promise<Answer> {
  const auth = opts.auth ?? 'token';
  const headers: Record<string, string> = { ...opts.headers };
  if (auth === 'token') headers.authorization = `Bearer ${TOKEN}`;
  if (auth === 'viewer') headers['x-flowbook-viewer'] = viewerToken;
  if (typeof opts.body === 'string' && !headers['content-type']) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const base = `/api/namespaces/${NS}/files`;
const filesDir = () => path.join(app.tmp, 'storage', 'company', 'team', '_files');

/** Every file under the data dir, relative to it (what a request might have written). */
function allFiles(dir = app.tmp, rel = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? allFiles(path.join(dir, e.name), r) : [r];
  });
}

describe('namespace file routes', () => {
  it('create, list, read, save with a version (a stale save is 409), upload, download, rename, delete', async () => {
    const created = await send('POST', base, { body: JSON.stringify({ path: 'scripts/hello.py', content: 'print("hello")\n' }) });
    expect(created.status).toBe(201);
    const file = JSON.parse(created.body) as NamespaceFileContentDto;
    expect(file).toMatchObject({ path: 'scripts/hello.py', content: 'print("hello")\n' });
    expect(fs.readFileSync(path.join(filesDir(), 'scripts', 'hello.py'), 'utf8')).toBe('print("hello")\n');
    expect((await send('POST', base, { body: JSON.stringify({ path: 'scripts/hello.py', content: 'x' }) })).status).toBe(409);

    const list = JSON.parse((await send('GET', base)).body) as NamespaceFileListDto;
    expect(list.files.map((f) => f.path)).toEqual(['scripts/hello.py']);

    const read = JSON.parse((await send('GET', `${base}/content?path=scripts/hello.py`)).body) as NamespaceFileContentDto;
    expect(read.version).toBe(file.version);
    const saved = await send('PUT', `${base}/content?path=scripts%2Fhello.py`, { body: JSON.stringify({ content: 'print("hi")\n', version: read.version }) });
    expect(saved.status).toBe(200);
    const stale = await send('PUT', `${base}/content?path=scripts/hello.py`, { body: JSON.stringify({ content: 'lost?', version: read.version }) });
    expect(stale.status).toBe(409);
    expect(JSON.parse(stale.body)).toMatchObject({ error: expect.stringContaining('saved elsewhere') });
    expect(fs.readFileSync(path.join(filesDir(), 'scripts', 'hello.py'), 'utf8')).toBe('print("hi")\n');

    const up = await send('POST', `${base}/upload?path=data/in.csv`, { body: Buffer.from('a,b\n1,2\n'), headers: { 'content-type': 'application/octet-stream' } });
    expect(up.status).toBe(201);
    const again = await send('POST', `${base}/upload?path=data/in.csv`, { body: Buffer.from('x'), headers: { 'content-type': 'application/octet-stream' } });
    expect(again.status).toBe(409);
    const down = await send('GET', `${base}/content?path=data/in.csv&download=1`);
    expect(down.status).toBe(200);
    expect(down.headers['content-disposition']).toContain('in.csv');
    expect(down.body).toBe('a,b\n1,2\n');

    expect((await send('POST', `${base}/rename`, { body: JSON.stringify({ from: 'data/in.csv', to: 'data/trips.csv' }) })).status).toBe(200);
    expect((await send('DELETE', `${base}/content?path=data/trips.csv`)).status).toBe(200);
    expect((await send('DELETE', `${base}/content?path=data/trips.csv`)).status).toBe(404);
    expect((JSON.parse((await send('GET', base)).body) as NamespaceFileListDto).files.map((f) => f.path)).toEqual(['scripts/hello.py']);
  });

  it('refuses every raw path that would leave the namespace, and writes nothing anywhere', async () => {
    fs.writeFileSync(path.join(app.tmp, 'secret.txt'), 'top secret');
    fs.mkdirSync(path.join(app.tmp, 'storage', 'company'), { recursive: true });
    fs.writeFileSync(path.join(app.tmp, 'storage', 'company', 'other.txt'), 'not a namespace file');
    const before = allFiles();
    const probes: [string, string][] = [
      // The file path in the query: decoded once by the route, then checked by the service.
      ['GET', `${base}/content?path=../../../../secret.txt`],
      ['GET', `${base}/content?path=..%2F..%2F..%2F..%2Fsecret.txt`],
      ['GET', `${base}/content?path=%2e%2e/%2e%2e/other.txt`],
      ['GET', `${base}/content?path=%252e%252e%252fother.txt`],
      ['GET', `${base}/content?path=/etc/passwd`],
      ['GET', `${base}/content?path=%2Fetc%2Fpasswd&download=1`],
      ['GET', `${base}/content?path=scripts%5C..%5C..%5Cother.txt`],
      ['GET', `${base}/content?path=hello.py%00.txt`],
      ['GET', `${base}/content?path=scripts//hello.py`],
      ['PUT', `${base}/content?path=../other.txt`],
      ['DELETE', `${base}/content?path=../../other.txt`],
      ['POST', `${base}/upload?path=../../../secret.txt&overwrite=1`],
      ['POST', `${base}/upload?path=%2e%2e%2f%2e%2e%2fevil.sh`],
      // The namespace in the path: the guard refuses dot segments and encoded dots and slashes.
      ['GET', '/api/namespaces/../files'],
      ['GET', '/api/namespaces/%2e%2e/files'],
      ['GET', '/api/namespaces/company%2f..%2f../files'],
      ['GET', '/api/namespaces/company.team/files/../../../secret.txt'],
      ['GET', '/api/namespaces/company.team/files/content/..%2f..%2fsecret.txt'],
      ['GET', '/api/namespaces/company\\..\\..\\files'],
      ['GET', '/api/namespaces/company..team/files'],
      ['GET', '/api/namespaces/COMPANY/files'],
    ];
    for (const [method, target] of probes) {
      const body = method === 'PUT' ? JSON.stringify({ content: 'pwned', version: 'x' }) : method === 'POST' ? 'pwned' : undefined;
      const headers: Record<string, string> = method === 'POST' ? { 'content-type': 'application/octet-stream' } : {};
      const answer = await send(method, target, { body, headers });
      expect({ target, status: answer.status }).toEqual({ target, status: 400 });
      expect(answer.body).not.toContain('top secret');
      expect(answer.body).not.toContain('not a namespace file');
    }
    // The body of a refusal says what is wrong and where.
    const why = JSON.parse((await send('GET', `${base}/content?path=../../secret.txt`)).body) as { error: string };
    expect(why.error).toMatch(/^path "\.\.\/\.\.\/secret\.txt": "\.\." is not allowed/);
    expect(allFiles()).toEqual(before);
    expect(fs.readFileSync(path.join(app.tmp, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it('refuses every write from a share link (403) and every request without the token (401)', async () => {
    const before = fs.readFileSync(path.join(filesDir(), 'scripts', 'hello.py'), 'utf8');
    const { version } = JSON.parse((await send('GET', `${base}/content?path=scripts/hello.py`)).body) as NamespaceFileContentDto;
    const writes: [string, string, string][] = [
      ['POST', base, JSON.stringify({ path: 'viewer.py', content: 'x' })],
      ['PUT', `${base}/content?path=scripts/hello.py`, JSON.stringify({ content: 'viewer was here', version })],
      ['DELETE', `${base}/content?path=scripts/hello.py`, ''],
      ['POST', `${base}/upload?path=viewer.bin&overwrite=1`, 'x'],
      ['POST', `${base}/rename`, JSON.stringify({ from: 'scripts/hello.py', to: 'moved.py' })],
    ];
    for (const [method, target, body] of writes) {
      expect({ target, method, status: (await send(method, target, { body, auth: 'viewer' })).status }).toEqual({ target, method, status: 403 });
      expect({ target, method, status: (await send(method, target, { body, auth: 'none' })).status }).toEqual({ target, method, status: 401 });
    }
    // Reads are not the viewer's either: a share link follows one notebook, not its namespace's files.
    expect((await send('GET', base, { auth: 'viewer' })).status).toBe(403);
    expect(fs.readFileSync(path.join(filesDir(), 'scripts', 'hello.py'), 'utf8')).toBe(before);
    expect((JSON.parse((await send('GET', base)).body) as NamespaceFileListDto).files.map((f) => f.path)).toEqual(['scripts/hello.py']);
  });

  it('exports the notebook as a .zip: <flowId>.yaml beside _files/<namespace>/<path>, read back by another tool', async () => {
    await app.namespaceFiles.create(NS, 'queries/top.sql', 'select 1;\n');
    const answer = await bundleRoute.GET(new Request(`http://127.0.0.1/api/notebooks/${notebookId}/export/bundle`), { params: Promise.resolve({ id: notebookId }) });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/zip');
    expect(answer.headers.get('content-disposition')).toContain('filename="shared.zip"');
    const file = path.join(app.tmp, 'export.zip');
    fs.writeFileSync(file, Buffer.from(await answer.arrayBuffer()));
    const script = 'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode() for n in z.namelist()}))';
    const read = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, string>;
    expect(read).toEqual({
      'shared.yaml': (await app.notebooks.exportYaml(notebookId)).yaml,
      [`_files/${NS}/queries/top.sql`]: 'select 1;\n',
      [`_files/${NS}/scripts/hello.py`]: fs.readFileSync(path.join(filesDir(), 'scripts', 'hello.py'), 'utf8'),
    });
    fs.rmSync(file);
    const missing = await bundleRoute.GET(new Request('http://127.0.0.1/api/notebooks/nope/export/bundle'), { params: Promise.resolve({ id: 'nope' }) });
    expect(missing.status).toBe(404);
  });
});
