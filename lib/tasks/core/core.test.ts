import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestRunContext, type TestRunContextOptions } from '../../engine/run-context';
import { HostAliases } from '../../config/host-aliases';
import type { RawTask, RunnableTaskDefinition } from '../types';
import { definitions } from './index';
import { childListsOf, isFlowableType } from '../../flow';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

function runnable(type: string): RunnableTaskDefinition {
  const def = definitions.find((d) => d.type === type || d.aliases?.includes(type));
  if (!def || def.kind !== 'runnable') throw new Error(`no runnable ${type}`);
  return def;
}

async function run(task: RawTask, opts: Omit<TestRunContextOptions, 'task'> = {}) {
  const t = await createTestRunContext({ task, ...opts });
  disposers.push(t.dispose);
  const result = await runnable(task.type).run(t.ctx);
  return { ...t, result };
}


describe('Log, Return, OutputValues, Fail', () => {
  it('logs each message at the given level', async () => {
    const { logs } = await run(
      { id: 'l', type: 'io.kestra.plugin.core.log.Log', message: ['Hello {{ inputs.name }}', 'second'], level: 'WARN' },
      { variables: { inputs: { name: 'Ada' } } },
    );
    expect(logs.map((l) => [l.level, l.message])).toEqual([
      ['WARN', 'Hello Ada'],
      ['WARN', 'second'],
    ]);
  });

  it('the old alias logs at INFO by default', async () => {
    const { logs } = await run({ id: 'l', type: 'io.kestra.core.tasks.log.Log', message: 'hi' });
    expect(logs.map((l) => [l.level, l.message])).toEqual([['INFO', 'hi']]);
  });

  it('Return renders format into value', async () => {
    const { result } = await run({ id: 'r', type: 'io.kestra.plugin.core.debug.Return', format: '{{ 1 + 2 }} files' });
    expect(result.outputs).toEqual({ value: '3 files' });
  });

  it('OutputValues renders every value', async () => {
    const { result } = await run(
      { id: 'o', type: 'io.kestra.plugin.core.output.OutputValues', values: { file: '{{ inputs.taxi }}.csv', n: 3 } },
      { variables: { inputs: { taxi: 'green' } } },
    );
    expect(result.outputs).toEqual({ values: { file: 'green.csv', n: 3 } });
  });

  it('Fail fails with its message, unless its condition is false', async () => {
    await expect(run({ id: 'f', type: 'io.kestra.plugin.core.execution.Fail', errorMessage: 'bad month {{ 13 }}' })).rejects.toThrow('bad month 13');
    await expect(run({ id: 'f', type: 'io.kestra.plugin.core.execution.Fail' })).rejects.toThrow('Task failure');
    const { result } = await run({ id: 'f', type: 'io.kestra.plugin.core.execution.Fail', condition: '{{ 1 == 2 }}' });
    expect(result.outputs).toEqual({});
  });
});

describe('Labels', () => {
  it('renders keys and values from a map, a list or a JSON string', async () => {
    const vars = { variables: { inputs: { taxi: 'yellow' } } };
    const map = await run({ id: 'l', type: 'io.kestra.plugin.core.execution.Labels', labels: { '{{ inputs.taxi }}_file': 'f-{{ inputs.taxi }}', n: 3 } }, vars);
    expect(map.result.outputs).toEqual({ labels: { yellow_file: 'f-yellow', n: '3' } });
    const list = await run({ id: 'l', type: 'io.kestra.plugin.core.execution.Labels', labels: [{ key: 'a', value: '{{ inputs.taxi }}' }] }, vars);
    expect(list.result.outputs).toEqual({ labels: { a: 'yellow' } });
    const json = await run({ id: 'l', type: 'io.kestra.plugin.core.execution.Labels', labels: '{"b": "{{ inputs.taxi }}"}' }, vars);
    expect(json.result.outputs).toEqual({ labels: { b: 'yellow' } });
  });

  it('rejects system. labels', async () => {
    await expect(run({ id: 'l', type: 'io.kestra.plugin.core.execution.Labels', labels: { 'system.correlationId': 'x' } })).rejects.toThrow(
      'System labels can only be set by Kestra itself',
    );
  });
});

describe('Sleep', () => {
  it('ends early with the cancel reason when the execution is cancelled', async () => {
    const controller = new AbortController();
    const started = run({ id: 's', type: 'io.kestra.plugin.core.flow.Sleep', duration: 'PT1H' }, { signal: controller.signal });
    setImmediate(() => controller.abort(new Error('cancelled by the user')));
    await expect(started).rejects.toThrow('cancelled by the user');
  });

  it('refuses a duration that is not ISO-8601', async () => {
    await expect(run({ id: 's', type: 'io.kestra.plugin.core.flow.Sleep', duration: '{{ "5 seconds" }}' })).rejects.toThrow(/ISO-8601/);
  });
});

describe('KV', () => {
  it('sets, reads, overwrites and deletes a key in the flow namespace', async () => {
    const dataDir = fs.mkdtempSync('/tmp/flowbook-kv-');
    disposers.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    await run({ id: 's', type: 'io.kestra.plugin.core.kv.Set', key: 'COUNT', value: '{{ 40 + 2 }}', kvType: 'NUMBER' }, { dataDir });
    const got = await run({ id: 'g', type: 'io.kestra.plugin.core.kv.Get', key: 'COUNT' }, { dataDir });
    expect(got.result.outputs).toEqual({ value: 42 });
    await run({ id: 's', type: 'io.kestra.plugin.core.kv.Set', key: 'CFG', value: { a: [1, '{{ 2 }}'] } }, { dataDir });
    expect((await run({ id: 'g', type: 'io.kestra.plugin.core.kv.Get', key: 'CFG' }, { dataDir })).result.outputs).toEqual({ value: { a: [1, '2'] } });
    await expect(run({ id: 's', type: 'io.kestra.plugin.core.kv.Set', key: 'CFG', value: 'x', overwrite: false }, { dataDir })).rejects.toThrow(/already exists/);
    expect((await run({ id: 'd', type: 'io.kestra.plugin.core.kv.Delete', key: 'CFG' }, { dataDir })).result.outputs).toEqual({ deleted: true });
    expect((await run({ id: 'd', type: 'io.kestra.plugin.core.kv.Delete', key: 'CFG' }, { dataDir })).result.outputs).toEqual({ deleted: false });
    expect((await run({ id: 'g', type: 'io.kestra.plugin.core.kv.Get', key: 'CFG' }, { dataDir })).result.outputs).toEqual({ value: null });
    await expect(run({ id: 'g', type: 'io.kestra.plugin.core.kv.Get', key: 'CFG', errorOnMissing: true }, { dataDir })).rejects.toThrow(
      "Cannot find the KV pair 'CFG' in namespace test",
    );
  });

  it('a value whose ttl has passed reads as missing', async () => {
    const dataDir = fs.mkdtempSync('/tmp/flowbook-kv-');
    disposers.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    await run({ id: 's', type: 'io.kestra.plugin.core.kv.Set', key: 'GONE', value: 'x', ttl: 'PT0S' }, { dataDir });
    await run({ id: 's', type: 'io.kestra.plugin.core.kv.Set', key: 'KEPT', value: 'y', ttl: 'P1D', namespace: 'other.ns' }, { dataDir });
    expect((await run({ id: 'g', type: 'io.kestra.plugin.core.kv.Get', key: 'GONE' }, { dataDir })).result.outputs).toEqual({ value: null });
    expect((await run({ id: 'g', type: 'io.kestra.plugin.core.kv.Get', key: 'KEPT', namespace: 'other.ns' }, { dataDir })).result.outputs).toEqual({ value: 'y' });
  });

  it('refuses a value that is not of its kvType', async () => {
    await expect(run({ id: 's', type: 'io.kestra.plugin.core.kv.Set', key: 'N', value: 'abc', kvType: 'NUMBER' })).rejects.toThrow('value "abc" is not a valid NUMBER');
  });
});

describe('PurgeCurrentExecutionFiles', () => {
  it("deletes the execution's files and lists them", async () => {
    const t = await createTestRunContext({ task: { id: 'p', type: 'io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles' } });
    disposers.push(t.dispose);
    const kept = await t.storage.putText(t.storage.toUri('/other/flow/executions/zzz/file.txt'), 'keep me');
    const local = fs.mkdtempSync('/tmp/flowbook-purge-');
    disposers.push(async () => fs.rmSync(local, { recursive: true, force: true }));
    fs.writeFileSync(`${local}/a.csv`, 'a');
    const uri = await t.ctx.putFile(`${local}/a.csv`);
    const result = await runnable('io.kestra.plugin.core.storage.PurgeExecution').run(t.ctx);
    expect(result.outputs).toEqual({ uris: [uri] });
    expect(t.storage.exists(uri)).toBe(false);
    expect(t.storage.exists(kept)).toBe(true);
    expect((await runnable('io.kestra.plugin.core.storage.PurgeExecution').run(t.ctx)).outputs).toEqual({ uris: [] });
  });
});

describe('HTTP', () => {
  let server: http.Server;
  let base: string;
  const gz = zlib.gzipSync(Buffer.from('VendorID,fare\n1,2.5\n'.repeat(200)));

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/files/yellow.csv.gz') {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': gz.length, 'x-origin': 'fixture' });
        res.end(gz);
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: '/files/yellow.csv.gz' });
        res.end();
      } else if (req.url === '/named') {
        res.writeHead(200, { 'content-disposition': 'attachment; filename="report 1.csv"' });
        res.end('a,b\n');
      } else if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('only ten b', () => res.destroy());
      } else if (req.url === '/empty') {
        res.writeHead(200);
        res.end();
      } else if (req.url === '/api' && req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c));
        req.on('end', () => {
          res.writeHead(201, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          res.end(zlib.gzipSync(JSON.stringify({ got: JSON.parse(body), type: req.headers['content-type'] })));
        });
      } else {
        res.writeHead(404);
        res.end('not here');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('Download stores a gzip file byte for byte, with code, length and headers', async () => {
    const { result, storage } = await run({ id: 'extract', type: 'io.kestra.plugin.core.http.Download', uri: `${base}/files/yellow.csv.gz` });
    const out = result.outputs as { uri: string; code: number; length: number; headers: Record<string, string[]> };
    expect(out.code).toBe(200);
    expect(out.length).toBe(gz.length);
    expect(out.headers['x-origin']).toEqual(['fixture']);
    expect(out.uri).toMatch(/^kestra:\/\/\/test\/test-flow\/executions\/.+\/tasks\/extract\/.+-yellow\.csv\.gz$/);
    expect(fs.readFileSync(storage.resolve(out.uri)).equals(gz)).toBe(true);
  });

  it('Download follows redirects, applies host aliases and names files from Content-Disposition', async () => {
    const port = (server.address() as AddressInfo).port;
    const hostAliases = HostAliases.fromRecord({ taxi_data: `127.0.0.1:${port}` });
    const redirected = await run({ id: 'd', type: 'io.kestra.plugin.core.http.Download', uri: 'http://taxi_data:9999/redirect' }, { hostAliases });
    expect((redirected.result.outputs as { length: number }).length).toBe(gz.length);
    const named = await run({ id: 'd', type: 'io.kestra.plugin.core.http.Download', uri: `${base}/named` });
    expect((named.result.outputs as { uri: string }).uri).toMatch(/-report%201\.csv$/);
  });

  it('Download fails on an error status and, by default, on an empty body', async () => {
    await expect(run({ id: 'd', type: 'io.kestra.plugin.core.http.Download', uri: `${base}/missing` })).rejects.toThrow(/answered 404/);
    await expect(run({ id: 'd', type: 'io.kestra.plugin.core.http.Download', uri: `${base}/empty` })).rejects.toThrow(/empty response/);
    const ok = await run({ id: 'd', type: 'io.kestra.plugin.core.http.Download', uri: `${base}/empty`, failOnEmptyResponse: false });
    expect((ok.result.outputs as { length: number }).length).toBe(0);
  });

  it('Download fails, rather than hangs, when the connection is cut mid-body', async () => {
    await expect(run({ id: 'd', type: 'io.kestra.plugin.core.http.Download', uri: `${base}/cut` })).rejects.toThrow(/Download of .*\/cut was interrupted/);
  });

  it('Request sends a JSON body and returns code, headers and the decoded body', async () => {
    const { result } = await run({ id: 'r', type: 'io.kestra.plugin.core.http.Request', uri: `${base}/api`, method: 'POST', body: { n: '{{ 2 }}' } });
    const out = result.outputs as { code: number; body: string; headers: Record<string, string[]> };
    expect(out.code).toBe(201);
    expect(JSON.parse(out.body)).toEqual({ got: { n: '2' }, type: 'application/json' });
    expect(out.headers['content-type']).toEqual(['application/json']);
  });

  it('Request fails on 4xx unless allowFailed', async () => {
    await expect(run({ id: 'r', type: 'io.kestra.plugin.core.http.Request', uri: `${base}/nope` })).rejects.toThrow(/status 404: not here/);
    const { result } = await run({ id: 'r', type: 'io.kestra.plugin.core.http.Request', uri: `${base}/nope`, options: { allowFailed: true } });
    expect(result.outputs).toMatchObject({ code: 404, body: 'not here' });
  });
});

describe('flowable tasks', () => {
  it('are all known to the flow model, which names their child lists by property path', () => {
    for (const d of definitions) if (d.kind === 'flowable') expect(isFlowableType(d.type), d.type).toBe(true);
    const sw = definitions.find((d) => d.type === 'io.kestra.plugin.core.flow.Switch');
    if (sw?.kind !== 'flowable') throw new Error('Switch must be flowable');
    const log = (id: string) => ({ id, type: 'io.kestra.plugin.core.log.Log', message: id });
    const ids = (task: Record<string, unknown>) =>
      Object.fromEntries(childListsOf(task).map((l) => [l.branch, l.items.map((t) => (t as { id: string }).id)]));
    expect(ids({ id: 's', type: sw.type, value: 'x', cases: { yellow: [log('y')], green: [log('g')] }, defaults: [log('d')] })).toEqual({
      'cases.yellow': ['y'],
      'cases.green': ['g'],
      defaults: ['d'],
    });
    const iff = definitions.find((d) => d.type === 'io.kestra.core.tasks.flows.If' || d.aliases?.includes('io.kestra.core.tasks.flows.If'));
    if (iff?.kind !== 'flowable') throw new Error('If must be flowable');
    expect(Object.keys(ids({ id: 'i', type: 'io.kestra.core.tasks.flows.If', condition: 'true', then: [log('t')] }))).toEqual(['then']);
  });
});
