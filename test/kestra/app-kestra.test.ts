/**
 * The app's Kestra features end to end against the local Kestra stand-in (see
 * test/support/kestra-stand-in.ts for the Kestra sources and documentation each answer follows):
 * saved servers with encrypted credentials, deploy with its diff and dry run, and a run on the
 * server stored and shown like a local one.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../api/harness';
import type { App } from '../../lib/server/app';
import { parseJson } from '../../lib/persistence/rows';
import { startKestraStandIn, type KestraStandIn } from '../support/kestra-stand-in';

const PASSWORD = 'kestra-password-never-shown';

const FLOW = `id: greet
namespace: company.team

inputs:
  - id: who
    type: STRING
    defaults: world

tasks:
  - id: make
    type: io.kestra.plugin.core.debug.Return
    format: "hello {{ inputs.who }}"

  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.make.value }}!"
`;

type TestApp = App & { tmp: string };
let app: TestApp;
let kestra: KestraStandIn;

beforeAll(async () => {
  kestra = await startKestraStandIn({ basic: { username: 'admin@kestra.io', password: PASSWORD }, stepMs: 40 });
  app = (await testApp('sqlite', { env: { KESTRA_TEST_PASSWORD: PASSWORD } })) as TestApp;
});
afterAll(async () => {
  await app.close();
  await kestra.close();
  fs.rmSync(app.tmp, { recursive: true, force: true });
});

async function savedServer(): Promise<string> {
  const existing = (await app.kestra.servers.list()).find((s) => s.name === 'stand-in');
  if (existing) return existing.id;
  const s = await app.kestra.servers.create({ name: 'stand-in', url: kestra.url, auth: { kind: 'basic', username: 'admin@kestra.io', password: { from: 'stored', value: PASSWORD } } });
  return s.id;
}

describe('Kestra servers under Settings', () => {
  it('keeps a typed-in password encrypted with the secrets\' key, and shows only whether it is set', async () => {
    const server = await app.kestra.servers.create({ name: 'prod', url: 'https://kestra.example.com/', tenant: 'main', auth: { kind: 'basic', username: 'ops', password: { from: 'stored', value: PASSWORD } } });
    expect(server).toEqual({ id: expect.any(String), name: 'prod', url: 'https://kestra.example.com', tenant: 'main', auth: { kind: 'basic', username: 'ops', password: { from: 'stored', set: true } }, updatedAt: expect.any(String) });
    const row = await app.db.setting.findUnique({ where: { key: 'kestraServers' } });
    expect(row?.value).not.toContain(PASSWORD);
    expect(row?.value).toContain('"ciphertext"');
    expect(JSON.stringify(await app.kestra.servers.list())).not.toContain(PASSWORD);
    expect((await app.kestra.servers.resolve(server.id)).target.auth).toEqual({ kind: 'basic', username: 'ops', password: PASSWORD });

    // Saving again without a value keeps the password; naming a secret or a variable reads it there, when used.
    await app.kestra.servers.update(server.id, { name: 'prod', url: 'https://kestra.example.com', auth: { kind: 'basic', username: 'ops2', password: { from: 'stored' } } });
    expect((await app.kestra.servers.resolve(server.id)).target.auth).toEqual({ kind: 'basic', username: 'ops2', password: PASSWORD });
    const viaSecret = await app.kestra.servers.update(server.id, { name: 'prod', url: 'https://kestra.example.com', auth: { kind: 'token', token: { from: 'secret', name: 'KESTRA_TOKEN' } } });
    expect(viaSecret.auth).toEqual({ kind: 'token', token: { from: 'secret', name: 'KESTRA_TOKEN', set: false } });
    await expect(app.kestra.servers.resolve(server.id)).rejects.toThrow('the token of Kestra server "prod" comes from secret KESTRA_TOKEN, which is not set');
    await app.secrets.set('KESTRA_TOKEN', 'token-from-a-secret');
    expect((await app.kestra.servers.resolve(server.id)).target.auth).toEqual({ kind: 'token', token: 'token-from-a-secret' });
    const viaEnv = await app.kestra.servers.update(server.id, { name: 'prod', url: 'https://kestra.example.com', auth: { kind: 'basic', username: 'ops', password: { from: 'env', name: 'KESTRA_TEST_PASSWORD' } } });
    expect(viaEnv.auth).toMatchObject({ password: { from: 'env', name: 'KESTRA_TEST_PASSWORD', set: true } });
    expect((await app.kestra.servers.resolve(server.id)).target.auth).toMatchObject({ password: PASSWORD });

    await expect(app.kestra.servers.create({ name: 'prod', url: 'http://x', auth: { kind: 'none' } })).rejects.toThrow(/already saved/);
    await expect(app.kestra.servers.create({ name: 'bad', url: 'not a url', auth: { kind: 'none' } })).rejects.toThrow(/not a URL/);
    await app.kestra.servers.remove(server.id);
    await expect(app.kestra.servers.get(server.id)).rejects.toThrow(/not found/);
  });

  it('checks address and credentials', async () => {
    const id = await savedServer();
    expect(await app.kestra.check(id)).toEqual({ ok: true, message: `Kestra at ${kestra.url} (tenant main) answered, and accepted the credentials.` });
    const wrong = await app.kestra.servers.create({ name: 'wrong', url: kestra.url, auth: { kind: 'basic', username: 'admin@kestra.io', password: { from: 'stored', value: 'nope' } } });
    const answer = await app.kestra.check(wrong.id);
    expect(answer.ok).toBe(false);
    expect(answer.message).toContain('401 Unauthorized');
    await app.kestra.servers.remove(wrong.id);
  });
});

describe('Deploy to Kestra', () => {
  it('shows the diff against the server first (dry run sends nothing), then creates, then updates only what changed', async () => {
    const serverId = await savedServer();
    const { id: notebookId } = await app.notebooks.create(FLOW);
    const before = kestra.requests.length;
    const plan = await app.kestra.deploy({ serverId, notebookId });
    expect(plan.dryRun).toBe(true);
    expect(plan.ok).toBe(true);
    expect(plan.items).toHaveLength(1);
    expect(plan.items[0]).toMatchObject({ kind: 'flow', namespace: 'company.team', name: 'greet', action: 'create', validation: { warnings: [] } });
    expect(plan.items[0].hunks[0].lines.every((l) => l.kind === 'add')).toBe(true);
    expect(plan.items[0].hunks[0].lines.map((l) => l.text).join('\n') + '\n').toBe(FLOW);
    // Reads and Kestra's validation only: nothing was created or updated.
    expect(kestra.requests.slice(before).filter((r) => r.method !== 'GET' && !r.path.endsWith('/flows/validate'))).toEqual([]);
    expect(kestra.flows.size).toBe(0);

    const applied = await app.kestra.deploy({ serverId, notebookId, dryRun: false });
    expect(applied.items[0]).toMatchObject({ action: 'create', result: { ok: true, revision: 1 } });
    expect(kestra.flows.get('company.team/greet')?.source).toBe(FLOW);

    const same = await app.kestra.deploy({ serverId, notebookId });
    expect(same.items[0]).toMatchObject({ action: 'unchanged', hunks: [] });

    const nb = await app.notebooks.get(notebookId);
    await app.notebooks.update(notebookId, FLOW.replace('defaults: world', 'defaults: everyone'), nb.version);
    const update = await app.kestra.deploy({ serverId, notebookId });
    expect(update.items[0].action).toBe('update');
    expect(update.items[0].hunks).toHaveLength(1);
    expect(update.items[0].hunks[0].lines.filter((l) => l.kind !== 'same').map((l) => `${l.kind}:${l.text}`)).toEqual(['del:    defaults: world', 'add:    defaults: everyone']);
    const done = await app.kestra.deploy({ serverId, notebookId, dryRun: false });
    expect(done.items[0].result).toEqual({ ok: true, revision: 2 });
    // Put back for the runs below.
    const nb2 = await app.notebooks.get(notebookId);
    await app.notebooks.update(notebookId, FLOW, nb2.version);
    await app.kestra.deploy({ serverId, notebookId, dryRun: false });
  });

  it('deploys a namespace with its files, and reports Kestra\'s refusal of an invalid flow per item', async () => {
    const serverId = await savedServer();
    await app.notebooks.create('id: custom\nnamespace: company.team.odd\ntasks:\n  - id: c\n    type: com.example.Custom\n');
    await app.kestra.namespaceFiles.write('company.team', 'scripts/clean.py', Buffer.from('print("clean")\n'));
    const plan = await app.kestra.deploy({ serverId, namespace: 'company.team' });
    const custom = plan.items.find((i) => i.name === 'custom');
    expect(custom?.validation?.error).toBe('tasks[0].type: Invalid type: com.example.Custom');
    expect(plan.ok).toBe(false);
    expect(plan.items.find((i) => i.kind === 'namespace-file')).toMatchObject({ namespace: 'company.team', name: 'scripts/clean.py', action: 'create' });
    const applied = await app.kestra.deploy({ serverId, namespace: 'company.team', dryRun: false });
    expect(applied.ok).toBe(false);
    expect(applied.items.find((i) => i.name === 'custom')?.result).toEqual({
      ok: false,
      error: `Kestra at ${kestra.url} (tenant main) refused to create flow company.team.odd.custom (422): Invalid entity: tasks[0].type: Invalid type: com.example.Custom\n  - tasks[0].type: Invalid type: com.example.Custom`,
    });
    expect(applied.items.find((i) => i.kind === 'namespace-file')?.result).toEqual({ ok: true });
    expect(kestra.namespaceFiles.get('company.team:/scripts/clean.py')?.toString()).toBe('print("clean")\n');
  });
});

describe('Run on Kestra', () => {
  it('starts the deployed flow with the inputs, and stores its state, task runs and logs as an execution of the notebook', async () => {
    const serverId = await savedServer();
    const notebook = (await app.notebooks.list()).find((n) => n.flowId === 'greet');
    // The value typed into the inputs form (saved as typed) is what the run sends.
    await app.inputs.save(notebook?.id ?? '', { who: 'Ada' });
    const run = await app.kestra.runs.start({ serverId, notebookId: notebook?.id ?? '' });
    expect(run).toMatchObject({ notebookId: notebook?.id, serverName: 'stand-in', differsFromNotebook: false, url: `${kestra.url}/ui/main/executions/company.team/greet/${run.executionId}` });
    expect(app.kestra.runs.isFollowing(run.executionId)).toBe(true);
    await app.kestra.runs.settled(run.executionId);
    await app.persister.idle();

    const detail = await app.runs.detail(run.executionId);
    expect(detail.execution).toMatchObject({ id: run.executionId, notebookId: notebook?.id, state: 'SUCCESS', inputs: { who: 'Ada' }, labels: { 'system.from': 'api' } });
    expect(detail.taskRuns.map((t) => [t.taskId, t.state, t.outputs])).toEqual([
      ['make', 'SUCCESS', { value: 'hello Ada' }],
      ['say', 'SUCCESS', undefined],
    ]);
    expect(detail.taskRuns[0].details).toEqual({ runner: 'remote · Kestra', remote: 'kestra', kestraServer: 'stand-in', kestraUrl: run.url });
    const logs = await app.runs.logs(run.executionId);
    expect(logs.map((l) => [l.seq, l.taskId, l.level, l.message])).toEqual([[1, 'say', 'INFO', 'hello Ada!']]);

    // The cells show it as their latest run, marked remote.
    const cells = (await app.notebooks.get(notebook?.id ?? '')).cells;
    expect(cells.map((c) => [c.taskId, c.run?.state, c.run?.details?.remote, c.stale])).toEqual([
      ['make', 'SUCCESS', 'kestra', false],
      ['say', 'SUCCESS', 'kestra', false],
    ]);
    expect(await app.kestra.runs.list(notebook?.id ?? '')).toEqual([run]);
  });

  it('keeps a failed task\'s error from its log, and Stop kills the run on Kestra', async () => {
    const serverId = await savedServer();
    const failing = await app.notebooks.create('id: failing\nnamespace: company.team\ntasks:\n  - id: boom\n    type: io.kestra.plugin.core.execution.Fail\n    errorMessage: the data is late\n');
    await app.kestra.deploy({ serverId, notebookId: failing.id, dryRun: false });
    const run = await app.kestra.runs.start({ serverId, notebookId: failing.id });
    await app.kestra.runs.settled(run.executionId);
    await app.persister.idle();
    const detail = await app.runs.detail(run.executionId);
    expect(detail.execution).toMatchObject({ state: 'FAILED', error: 'the data is late' });
    expect(detail.taskRuns[0]).toMatchObject({ taskId: 'boom', state: 'FAILED', error: 'the data is late' });

    const slow = await app.notebooks.create('id: slow\nnamespace: company.team\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT30S\n');
    await app.kestra.deploy({ serverId, notebookId: slow.id, dryRun: false });
    const long = await app.kestra.runs.start({ serverId, notebookId: slow.id });
    for (let i = 0; i < 100 && kestra.executions.get(long.executionId)?.execution.taskRunList[0]?.state.current !== 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 30));
    expect(await app.kestra.runs.cancel(long.executionId)).toEqual({ cancelled: true });
    await app.kestra.runs.settled(long.executionId);
    await app.persister.idle();
    expect((await app.runs.detail(long.executionId)).execution.state).toBe('KILLED');
    expect(await app.kestra.runs.cancel(long.executionId)).toEqual({ cancelled: false });
  });

  it('refuses a flow that is not deployed, and says when the server runs another version than the notebook', async () => {
    const serverId = await savedServer();
    const lonely = await app.notebooks.create('id: lonely\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n');
    await expect(app.kestra.runs.start({ serverId, notebookId: lonely.id })).rejects.toThrow(`flow company.team.lonely is not on Kestra at ${kestra.url} (tenant main): deploy it first (Deploy to Kestra)`);
    kestra.putFlow('id: lonely\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: from the server\n');
    const run = await app.kestra.runs.start({ serverId, notebookId: lonely.id });
    expect(run.differsFromNotebook).toBe(true);
    await app.kestra.runs.settled(run.executionId);
    await app.persister.idle();
    expect((await app.runs.logs(run.executionId)).map((l) => l.message)).toEqual(['from the server']);
    // Staleness compares the cell with what Kestra ran: the notebook's cell differs, so it is stale.
    const row = await app.db.execution.findUnique({ where: { id: run.executionId } });
    expect(row?.flowYaml).toContain('from the server');
    expect(parseJson<Record<string, unknown>>(row?.cellHashes, {})).toHaveProperty('a');
    expect((await app.notebooks.get(lonely.id)).cells[0].stale).toBe(true);
  });
});
