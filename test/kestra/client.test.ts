/**
 * The Kestra API client against a local stand-in that answers as Kestra 1.x does
 * (test/support/kestra-stand-in.ts). Each shape is cited where it is asserted:
 * - paths, methods and bodies: kestra-io/kestra webserver/src/main/java/io/kestra/webserver/controllers/api/
 *   FlowController.java (`@Controller("/api/v1/{tenant}/flows")`), ExecutionController.java
 *   (`/api/v1/{tenant}/executions`), LogController.java (`/api/v1/{tenant}/logs`),
 *   NamespaceFileController.java and NamespaceController.java (`/api/v1/{tenant}/namespaces`);
 * - creating a flow: POST /api/v1/main/flows with an application/x-yaml body (kestra.io/docs/how-to-guides/api);
 * - starting an execution: multipart form data to /api/v1/main/executions/{namespace}/{id}
 *   (kestra.io/docs/how-to-guides/inputs-api); the answer is the Execution with its State
 *   (`current`, `histories`, `duration`, `startDate`) as kestra.io/docs/how-to-guides/synchronous-executions-api shows;
 * - errors: Micronaut JsonError from ErrorController.java (`message`, `_links.self`, `_embedded.errors[].message/path`),
 *   401 without a body from filter/AuthenticationFilter.java, and RFC 9457 problem details
 *   (`type`, `title`, `status`, `detail`, `instance`, `errors[].detail/pointer/path`) as
 *   kestra.io/docs/api-reference/problems/validation-failed documents for later releases.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KestraApiError, KestraClient, normaliseServerUrl } from '../../lib/kestra/client';
import type { KestraLogEntry } from '../../lib/kestra/api-types';
import { startKestraStandIn, type KestraStandIn } from '../support/kestra-stand-in';

const FLOW = `id: hello
namespace: company.team

inputs:
  - id: who
    type: STRING
    defaults: world

tasks:
  - id: greet
    type: io.kestra.plugin.core.debug.Return
    format: "hello {{ inputs.who }}"
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.greet.value }}!"
`;

const USER = { username: 'admin@kestra.io', password: 'Admin1234-not-shown' };
let kestra: KestraStandIn;
let client: KestraClient;

beforeAll(async () => {
  kestra = await startKestraStandIn({ basic: USER, stepMs: 30 });
  client = new KestraClient({ url: kestra.url + '/', tenant: 'main', auth: { kind: 'basic', ...USER } });
});
afterAll(async () => kestra.close());

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('flows', () => {
  it('creates, reads with its source, validates and updates a flow at /api/v1/{tenant}/flows', async () => {
    expect(await client.getFlow('company.team', 'hello')).toBeUndefined();
    const created = await client.createFlow('company.team', 'hello', FLOW);
    expect(created).toMatchObject({ id: 'hello', namespace: 'company.team', revision: 1 });
    const read = await client.getFlow('company.team', 'hello');
    expect(read?.source).toBe(FLOW);
    const updated = await client.updateFlow('company.team', 'hello', FLOW.replace('world', 'you'));
    expect(updated.revision).toBe(2);
    // ValidateConstraintViolation: `constraints` null when valid.
    expect(await client.validateFlow('company.team', 'hello', FLOW)).toMatchObject({ flow: 'hello', constraints: null });
    const posted = kestra.requests.filter((r) => r.path === '/api/v1/main/flows' && r.method === 'POST');
    expect(posted.map((r) => r.contentType)).toEqual(['application/x-yaml']);
    expect(kestra.requests.find((r) => r.method === 'PUT')).toMatchObject({ path: '/api/v1/main/flows/company.team/hello', contentType: 'application/x-yaml', auth: 'basic' });
    expect(kestra.requests.find((r) => r.method === 'GET' && r.path === '/api/v1/main/flows/company.team/hello')?.query).toBe('?source=true');
  });

  it('gives Kestra\'s own message for an invalid flow (422 Invalid entity, with each violation\'s path)', async () => {
    const bad = FLOW.replace('io.kestra.plugin.core.log.Log', 'com.example.Nope').replace('id: hello', 'id: broken');
    const err = await client.createFlow('company.team', 'broken', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KestraApiError);
    const e = err as KestraApiError;
    expect(e.kind).toBe('invalid');
    expect(e.status).toBe(422);
    expect(e.kestraMessage).toBe('Invalid entity: tasks[1].type: Invalid type: com.example.Nope');
    expect(e.fieldErrors).toEqual([{ message: 'Invalid type: com.example.Nope', path: 'tasks[1].type' }]);
    expect(e.message).toBe(`Kestra at ${kestra.url} (tenant main) refused to create flow company.team.broken (422): Invalid entity: tasks[1].type: Invalid type: com.example.Nope\n  - tasks[1].type: Invalid type: com.example.Nope`);
    expect((await client.validateFlow('company.team', 'broken', bad))?.constraints).toBe('tasks[1].type: Invalid type: com.example.Nope');
  });
});

describe('errors a server answers', () => {
  it('401: says credentials are missing or wrong, and never repeats them', async () => {
    const anonymous = new KestraClient({ url: kestra.url, tenant: 'main', auth: { kind: 'none' } });
    const none = (await anonymous.getFlow('company.team', 'hello').catch((e: unknown) => e)) as KestraApiError;
    expect(none.kind).toBe('unauthorized');
    expect(none.message).toBe(`Kestra at ${kestra.url} (tenant main) refused to read flow company.team.hello: 401 Unauthorized. It asks for credentials: set basic auth (user and password) or an API token for this server.`);
    const wrong = new KestraClient({ url: kestra.url, tenant: 'main', auth: { kind: 'basic', username: USER.username, password: 'wrong-password-xyz' } });
    const refused = (await wrong.check().catch((e: unknown) => e)) as KestraApiError;
    expect(refused.message).toContain('401 Unauthorized. Check the user and password, or the API token, used for this server.');
    expect(refused.message).not.toContain('wrong-password-xyz');
    expect(JSON.stringify(refused)).not.toContain('wrong-password-xyz');
  });

  it('404 for a namespace the server does not have (Enterprise keeps namespaces), for a wrong tenant, and for a flow', async () => {
    const ee = await startKestraStandIn({ namespaces: ['company'] });
    try {
      const c = new KestraClient({ url: ee.url, tenant: 'main', auth: { kind: 'none' } });
      await c.checkNamespace('company');
      const missing = (await c.checkNamespace('company.team').catch((e: unknown) => e)) as KestraApiError;
      expect(missing.kind).toBe('not-found');
      expect(missing.message).toBe(`namespace company.team does not exist on Kestra at ${ee.url} (tenant main): create it in Kestra first (or check the tenant)`);
      const tenant = new KestraClient({ url: ee.url, tenant: 'acme', auth: { kind: 'none' } });
      const wrongTenant = (await tenant.check().catch((e: unknown) => e)) as KestraApiError;
      expect(wrongTenant.message).toBe(`Kestra at ${ee.url} (tenant acme) has nothing at /api/v1/acme/flows/search to list flows: 404 Not Found: Not Found. Check the server URL and the tenant.`);
      const noFlow = (await c.createExecution('company', 'nope', {}).catch((e: unknown) => e)) as KestraApiError;
      expect(noFlow.message).toBe(`flow company.nope is not on Kestra at ${ee.url} (tenant main): deploy it first`);
    } finally {
      await ee.close();
    }
  });

  it('reads RFC 9457 problem details too, and refuses to follow a redirect with the credentials', async () => {
    // The body kestra.io/docs/api-reference/problems/validation-failed shows.
    const problem = {
      type: 'https://kestra.io/docs/api-reference/problems/validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'Validation failed',
      instance: '/api/v1/main/flows',
      errors: [
        { detail: 'must not be null', pointer: '/tasks/0/type', path: 'tasks[my-task].type' },
        { detail: 'must not be empty', pointer: '/id', path: 'id' },
      ],
    };
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/api/v1/main/flows/search')) {
        res.writeHead(302, { location: 'https://elsewhere.example/api' });
        res.end();
        return;
      }
      res.writeHead(422, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify(problem));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const c = new KestraClient({ url, tenant: 'main', auth: { kind: 'token', token: 'tok-secret-123' } });
      const e = (await c.createFlow('a', 'b', 'id: b').catch((x: unknown) => x)) as KestraApiError;
      expect(e.kind).toBe('invalid');
      expect(e.kestraMessage).toBe('Validation failed');
      expect(e.fieldErrors).toEqual([
        { message: 'must not be null', path: 'tasks[my-task].type' },
        { message: 'must not be empty', path: 'id' },
      ]);
      const moved = (await c.check().catch((x: unknown) => x)) as KestraApiError;
      expect(moved.message).toContain('redirected the request to list flows to https://elsewhere.example/api');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('says when nothing answers, and refuses addresses it cannot use', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = new KestraClient({ url: `http://127.0.0.1:${port}`, tenant: 'main', auth: { kind: 'none' } });
    const e = (await c.check().catch((x: unknown) => x)) as KestraApiError;
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(new RegExp(`^cannot reach Kestra at http://127.0.0.1:${port} \\(tenant main\\) to list flows: .*ECONNREFUSED`));
    expect(normaliseServerUrl('https://kestra.example.com/base/?x=1#y')).toBe('https://kestra.example.com/base');
    expect(() => normaliseServerUrl('ftp://x')).toThrow(/http/);
    expect(() => normaliseServerUrl('http://user:pw@host')).toThrow(/credentials/);
  });
});

describe('namespace files', () => {
  it('writes with a multipart fileContent part at ?path=, reads it back, 404 when absent; a .zip stays one file', async () => {
    expect(await client.getNamespaceFile('company.team', 'scripts/clean.py')).toBeUndefined();
    await client.putNamespaceFile('company.team', 'scripts/clean.py', Buffer.from('print(1)\n'));
    await client.putNamespaceFile('company.team', 'data/archive.zip', Buffer.from([0x50, 0x4b, 3, 4]));
    expect((await client.getNamespaceFile('company.team', 'scripts/clean.py'))?.toString()).toBe('print(1)\n');
    expect([...(kestra.namespaceFiles.get('company.team:/data/archive.zip') ?? [])]).toEqual([0x50, 0x4b, 3, 4]);
    const post = kestra.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/main/namespaces/company.team/files');
    expect(post?.query).toBe('?path=%2Fscripts%2Fclean.py');
    expect(post?.contentType).toMatch(/^multipart\/form-data; boundary=/);
  });
});

describe('executions and logs', () => {
  it('starts an execution with multipart inputs, follows its state, task runs and logs, and links to the UI', async () => {
    const started = await client.createExecution('company.team', 'hello', { who: 'Ada' });
    expect(started).toMatchObject({ namespace: 'company.team', flowId: 'hello', state: { current: 'CREATED' } });
    expect(started.state.histories?.[0]).toEqual({ state: 'CREATED', date: expect.any(String) });
    // ExecutionController.executionUrl without kestra.url: a path, made absolute with the server's address.
    expect(started.url).toBe(`/ui/main/executions/company.team/hello/${started.id}`);
    expect(client.executionUiUrl(started)).toBe(`${kestra.url}/ui/main/executions/company.team/hello/${started.id}`);

    const streamed: KestraLogEntry[] = [];
    const stop = new AbortController();
    const following = client.followLogs(started.id, (e) => streamed.push(e), stop.signal);
    const done = await until(
      () => client.getExecution(started.id),
      (e) => e.state.current === 'SUCCESS',
    );
    expect(done.state).toMatchObject({ current: 'SUCCESS', endDate: expect.any(String), duration: expect.stringMatching(/^PT/) });
    expect(done.inputs).toEqual({ who: 'Ada' });
    expect(done.taskRunList?.map((t) => [t.taskId, t.state.current, t.outputs ?? null])).toEqual([
      ['greet', 'SUCCESS', { value: 'hello Ada' }],
      ['say', 'SUCCESS', null],
    ]);
    await until(
      async () => streamed.length,
      (n) => n > 0,
    );
    stop.abort();
    await following;
    expect(streamed.map((l) => [l.taskId, l.level, l.message])).toEqual([['say', 'INFO', 'hello Ada!']]);
    expect((await client.listLogs(started.id)).map((l) => l.message)).toEqual(['hello Ada!']);
    const follow = kestra.requests.find((r) => r.path === `/api/v1/main/logs/${started.id}/follow`);
    expect(follow).toMatchObject({ method: 'GET', auth: 'basic' });
  });

  it('kills a running execution (202), and a finished one answers 409 Illegal state', async () => {
    kestra.putFlow('id: slow\nnamespace: company.team\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT30S\n');
    const started = await client.createExecution('company.team', 'slow', {});
    await until(
      () => client.getExecution(started.id),
      (e) => e.taskRunList?.[0]?.state.current === 'RUNNING',
    );
    await client.killExecution(started.id);
    const killed = await until(
      () => client.getExecution(started.id),
      (e) => e.state.current === 'KILLED',
    );
    expect(killed.state.histories?.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'KILLING', 'KILLED']);
    const again = (await client.killExecution(started.id).catch((e: unknown) => e)) as KestraApiError;
    expect(again.kind).toBe('conflict');
    expect(again.kestraMessage).toBe("Illegal state: Execution is already finished, can't kill it");
  });
});
