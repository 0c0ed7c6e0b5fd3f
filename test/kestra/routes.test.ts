/**
 * The /api/kestra routes: called as Next calls them (Request in, Response out) against a real
 * app and the Kestra stand-in, and served by the real HTTP server behind the token guard,
 * probed without the token and through raw, unnormalised paths.
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import type { App } from '../../lib/server/app';
import { startHttpServer, type RunningServer } from '../../lib/server/http-server';
import { securityConfig } from '../../lib/security/config';
import type { ApiError, DeployPlanDto, ExportLayoutDto, ImportLayoutDto, KestraServerDto, RemoteRunDto } from '../../lib/contract';
import { testApp } from '../api/harness';
import { startKestraStandIn, type KestraStandIn } from '../support/kestra-stand-in';
import * as servers from '../../app/api/kestra/servers/route';
import * as server from '../../app/api/kestra/servers/[id]/route';
import * as check from '../../app/api/kestra/servers/[id]/check/route';
import * as deploy from '../../app/api/kestra/deploy/route';
import * as runs from '../../app/api/kestra/runs/route';
import * as exportRoute from '../../app/api/kestra/export/route';
import * as importRoute from '../../app/api/kestra/import/route';
import * as cancel from '../../app/api/executions/[id]/cancel/route';

const TOKEN = 'kestra-routes-token-abcdefgh';
const PASSWORD = 'route-password-never-answered';
const FLOW = 'id: routed\nnamespace: team\ntasks:\n  - id: hi\n    type: io.kestra.plugin.core.log.Log\n    message: hi from routes\n';

type TestApp = App & { tmp: string };
let app: TestApp;
let kestra: KestraStandIn;
let work: string;

beforeAll(async () => {
  kestra = await startKestraStandIn({ basic: { username: 'u', password: PASSWORD }, stepMs: 30 });
  app = (await testApp('sqlite')) as TestApp;
  installApp(app);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-kestra-routes-'));
});
afterAll(async () => {
  installApp(undefined);
  await app.close();
  await kestra.close();
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(app.tmp, { recursive: true, force: true });
});

const base = 'http://127.0.0.1:3000';
const params = <T>(p: T) => ({ params: Promise.resolve(p) });
const body = (method: string, value: unknown) => ({ method, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

async function untar(res: Response): Promise<Record<string, string>> {
  const gz = Buffer.from(await res.arrayBuffer());
  const out: Record<string, string> = {};
  const extract = tar.extract();
  await new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out[header.name] = Buffer.concat(chunks).toString('utf8');
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    extract.end(zlib.gunzipSync(gz));
  });
  return out;
}

describe('/api/kestra routes', () => {
  it('saves a server (201) without ever answering its password, checks it, updates and deletes it', async () => {
    const created = await servers.POST(new Request(`${base}/api/kestra/servers`, body('POST', { name: 'stand-in', url: kestra.url, auth: { kind: 'basic', username: 'u', password: { from: 'stored', value: PASSWORD } } })), params({}));
    expect(created.status).toBe(201);
    const dto = (await created.json()) as KestraServerDto;
    expect(dto.auth).toEqual({ kind: 'basic', username: 'u', password: { from: 'stored', set: true } });
    const listed = await servers.GET(new Request(`${base}/api/kestra/servers`), params({}));
    expect(await listed.clone().text()).not.toContain(PASSWORD);
    expect(((await listed.json()) as KestraServerDto[]).map((s) => s.name)).toEqual(['stand-in']);
    const ok = await check.POST(new Request(`${base}/x`, { method: 'POST' }), params({ id: dto.id }));
    expect(await ok.json()).toMatchObject({ ok: true });

    const bad = await servers.POST(new Request(`${base}/x`, body('POST', { name: 'x', url: kestra.url, auth: { kind: 'basic', username: 'u', password: { from: 'stored', value: 1 } } })), params({}));
    expect(bad.status).toBe(400);
    const spare = (await (await servers.POST(new Request(`${base}/x`, body('POST', { name: 'spare', url: 'http://127.0.0.1:1', auth: { kind: 'none' } })), params({}))).json()) as KestraServerDto;
    const renamed = await server.PUT(new Request(`${base}/x`, body('PUT', { name: 'spare2', url: 'http://127.0.0.1:1', tenant: 'acme', auth: { kind: 'none' } })), params({ id: spare.id }));
    expect(((await renamed.json()) as KestraServerDto).tenant).toBe('acme');
    expect((await server.DELETE(new Request(`${base}/x`, { method: 'DELETE' }), params({ id: spare.id }))).status).toBe(200);
    expect((await server.GET(new Request(`${base}/x`), params({ id: spare.id }))).status).toBe(404);
  });

  it('deploys with a diff first, runs on Kestra (202), lists the run, and Stop reaches Kestra', async () => {
    const [saved] = (await (await servers.GET(new Request(`${base}/x`), params({}))).json()) as KestraServerDto[];
    const { id: notebookId } = await app.notebooks.create(FLOW);
    const dry = (await (await deploy.POST(new Request(`${base}/x`, body('POST', { serverId: saved.id, notebookId })), params({}))).json()) as DeployPlanDto;
    expect(dry).toMatchObject({ dryRun: true, ok: true, server: { name: 'stand-in', tenant: 'main' }, items: [{ name: 'routed', action: 'create' }] });
    const applied = (await (await deploy.POST(new Request(`${base}/x`, body('POST', { serverId: saved.id, notebookId, dryRun: false })), params({}))).json()) as DeployPlanDto;
    expect(applied.items[0].result).toEqual({ ok: true, revision: 1 });
    expect((await deploy.POST(new Request(`${base}/x`, body('POST', { serverId: saved.id })), params({}))).status).toBe(400);

    const started = await runs.POST(new Request(`${base}/x`, body('POST', { serverId: saved.id, notebookId })), params({}));
    expect(started.status).toBe(202);
    const run = (await started.json()) as RemoteRunDto;
    await app.kestra.runs.settled(run.executionId);
    const listed = (await (await runs.GET(new Request(`${base}/api/kestra/runs?notebookId=${notebookId}`), params({}))).json()) as RemoteRunDto[];
    expect(listed.map((r) => r.executionId)).toEqual([run.executionId]);
    expect((await runs.GET(new Request(`${base}/api/kestra/runs`), params({}))).status).toBe(400);

    kestra.putFlow('id: slow\nnamespace: team\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT30S\n');
    const slow = await app.notebooks.create('id: slow\nnamespace: team\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT30S\n');
    const long = (await (await runs.POST(new Request(`${base}/x`, body('POST', { serverId: saved.id, notebookId: slow.id })), params({}))).json()) as RemoteRunDto;
    const stopped = await cancel.POST(new Request(`${base}/x`, { method: 'POST' }), params({ id: long.executionId }));
    expect(await stopped.json()).toEqual({ cancelled: true });
    await app.kestra.runs.settled(long.executionId);
    await app.persister.idle();
    expect((await app.runs.detail(long.executionId)).execution.state).toBe('KILLED');
  });

  it('answers Kestra\'s 401 as 422 (not Flowbook\'s own 401), with Kestra\'s words', async () => {
    const wrong = (await (await servers.POST(new Request(`${base}/x`, body('POST', { name: 'wrong', url: kestra.url, auth: { kind: 'basic', username: 'u', password: { from: 'stored', value: 'nope' } } })), params({}))).json()) as KestraServerDto;
    const { id: notebookId } = await app.notebooks.create(FLOW.replace('id: routed', 'id: other'));
    const res = await deploy.POST(new Request(`${base}/x`, body('POST', { serverId: wrong.id, notebookId })), params({}));
    expect(res.status).toBe(422);
    expect(((await res.json()) as ApiError).error).toContain('401 Unauthorized. Check the user and password');
  });

  it('exports a namespace as a .tar.gz and into a folder, and imports the folder', async () => {
    const res = await exportRoute.GET(new Request(`${base}/api/kestra/export?namespace=team`), params({}));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toContain('team-kestra-git-layout.tar.gz');
    const entries = await untar(res);
    expect(Object.keys(entries).sort()).toEqual(['_flows/other.yml', '_flows/routed.yml', '_flows/slow.yml']);
    expect(entries['_flows/routed.yml']).toBe(FLOW);
    expect((await exportRoute.GET(new Request(`${base}/api/kestra/export?namespace=nothing`), params({}))).status).toBe(404);

    const outDir = path.join(work, 'team');
    const written = (await (await exportRoute.POST(new Request(`${base}/x`, body('POST', { namespace: 'team', outDir, git: true })), params({}))).json()) as ExportLayoutDto;
    expect(written.commit?.message).toMatch(/^Flowbook export of team: add 3 flows/);
    expect((await exportRoute.POST(new Request(`${base}/x`, body('POST', { namespace: 'team', outDir: 'relative' })), params({}))).status).toBe(400);

    const imported = (await (await importRoute.POST(new Request(`${base}/x`, body('POST', { dir: outDir })), params({}))).json()) as ImportLayoutDto;
    expect(imported.notebooks.map((n) => n.change)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect((await importRoute.POST(new Request(`${base}/x`, body('POST', { dir: path.join(work, 'missing') })), params({}))).status).toBe(422);
  });
});

describe('/api/kestra behind the token guard', () => {
  let running: RunningServer;
  let port: number;
  const routes: [RegExp, Record<string, (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>][] = [
    [/^\/api\/kestra\/servers$/, servers as never],
    [/^\/api\/kestra\/servers\/(?<id>[^/]+)$/, server as never],
    [/^\/api\/kestra\/servers\/(?<id>[^/]+)\/check$/, check as never],
    [/^\/api\/kestra\/deploy$/, deploy as never],
    [/^\/api\/kestra\/runs$/, runs as never],
    [/^\/api\/kestra\/export$/, exportRoute as never],
    [/^\/api\/kestra\/import$/, importRoute as never],
  ];

  beforeAll(async () => {
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
      // Next's router stand-in: the route modules, as Next would call them.
      handle: async (req, res) => {
        const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
        const found = routes.map(([re, mod]) => ({ m: re.exec(url.pathname), mod })).find((r) => r.m);
        const fn = found?.mod[req.method ?? 'GET'];
        if (!found || !fn) {
          res.writeHead(404);
          res.end();
          return;
        }
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const answer = await fn(new Request(url, { method: req.method, headers: { 'content-type': 'application/json' }, body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : Buffer.concat(chunks) }), { params: Promise.resolve({ ...found.m?.groups }) });
        res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
        res.end(Buffer.from(await answer.arrayBuffer()));
      },
    });
  });
  afterAll(async () => running?.close());

  function send(method: string, rawPath: string, headers: Record<string, string> = {}, payload?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, headers, agent: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  it('refuses every Kestra route without the token, and serves it with the token', async () => {
    const probes: [string, string][] = [
      ['GET', '/api/kestra/servers'],
      ['POST', '/api/kestra/servers'],
      ['GET', '/api/kestra/servers/some-id'],
      ['PUT', '/api/kestra/servers/some-id'],
      ['DELETE', '/api/kestra/servers/some-id'],
      ['POST', '/api/kestra/servers/some-id/check'],
      ['POST', '/api/kestra/deploy'],
      ['GET', '/api/kestra/runs?notebookId=x'],
      ['POST', '/api/kestra/runs'],
      ['GET', '/api/kestra/export?namespace=team'],
      ['POST', '/api/kestra/export'],
      ['POST', '/api/kestra/import'],
    ];
    for (const [method, p] of probes) expect({ method, p, status: (await send(method, p, {}, '{}')).status }).toEqual({ method, p, status: 401 });
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const listed = await send('GET', '/api/kestra/servers', bearer);
    expect(listed.status).toBe(200);
    expect(listed.body).not.toContain(PASSWORD);
    expect((await send('GET', '/api/kestra/export?namespace=team', bearer)).status).toBe(200);
    // A foreign Origin is refused even with the token (no cross-site deploys).
    expect((await send('POST', '/api/kestra/deploy', { ...bearer, origin: 'http://attacker.example' }, '{}')).status).toBe(403);
  });

  it('refuses raw, unnormalised paths to the Kestra routes (400), with or without the token', async () => {
    const tricks = [
      '/api/kestra/../kestra/servers',
      '/api/kestra/./servers',
      '/api/kestra/%2e%2e/kestra/servers',
      '/api/kestra/servers/%2E%2E/servers',
      '/api/kestra%2fservers',
      '/api/kestra/servers%2F..%2Fdeploy',
      '//api/kestra/servers',
      '/api//kestra/servers',
      '/api/kestra\\..\\servers',
      '/api/kestra/servers%5c..%5cdeploy',
      '/api/kestra/servers/x/..',
      '/api/kestra/servers%00',
      '/api/health/../kestra/servers',
    ];
    for (const trick of tricks) expect({ trick, status: (await send('GET', trick)).status }).toEqual({ trick, status: 400 });
    for (const trick of tricks.slice(0, 3)) expect({ trick, status: (await send('POST', trick, { authorization: `Bearer ${TOKEN}` }, '{}')).status }).toEqual({ trick, status: 400 });
  });
});
