/**
 * The course's PostgreSQL in one click: the app starts its built-in PostgreSQL through the
 * API, `pgdatabase` points at it at once, course flows 04 and 05 run with no other setup,
 * and the app stops it when it closes.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import type { ApiError, PostgresStatusDto, SettingsDto } from '../../lib/contract';
import { testApp } from './harness';
import { freePort } from '../support/postgres';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { REPO } from '../support/cli';
import * as pgStatus from '../../app/api/postgres/route';
import * as pgStart from '../../app/api/postgres/start/route';
import * as pgStop from '../../app/api/postgres/stop/route';
import * as settings from '../../app/api/settings/route';

type TestApp = Awaited<ReturnType<typeof testApp>>;
let app: TestApp;
let fixtures: FixtureServer;
const base = 'http://127.0.0.1:3000';
const none = { params: Promise.resolve({}) };
const post = (value: unknown) => ({ method: 'POST', body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  fixtures = await startFixtureServer({ rowsPerMonth: 30 });
  app = await testApp('sqlite');
  installApp(app);
});
afterAll(async () => {
  installApp(undefined);
  await app?.close();
  await fixtures?.close();
});

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function runFlow(file: string, inputs: Record<string, unknown>, trigger?: { triggerId: string; triggerDate: string }) {
  const { id } = await app.notebooks.create(fs.readFileSync(path.join(REPO, 'flows', file), 'utf8'));
  const { executionId } = await app.runs.start(id, { mode: 'all', inputs, ...trigger });
  await app.runs.settled(executionId);
  return app.runs.detail(executionId);
}

describe('the built-in PostgreSQL through the API', () => {
  it('refuses a port in use with a clear error, then starts, serves pgdatabase, runs flows 04 and 05, and stops with the app', async () => {
    const busy = net.createServer();
    const busyPort = await freePort();
    await new Promise<void>((resolve) => busy.listen(busyPort, '127.0.0.1', resolve));
    const refused = await pgStart.POST(new Request(`${base}/api/postgres/start`, post({ port: busyPort })), none);
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as ApiError).error).toContain(`port ${busyPort} is already in use`);
    expect(((await (await pgStatus.GET(new Request(`${base}/api/postgres`), none)).json()) as PostgresStatusDto).state).toBe('failed');

    const port = await freePort();
    const started = await pgStart.POST(new Request(`${base}/api/postgres/start`, post({ port })), none);
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({ state: 'running', port, alias: 'pgdatabase', database: 'ny_taxi', user: 'root' });
    const shown = (await (await settings.GET(new Request(`${base}/api/settings`), none)).json()) as SettingsDto;
    expect(shown.builtinHostAliases).toEqual({ pgdatabase: `127.0.0.1:${port}` });
    expect(app.settings.hostAliases.resolve('pgdatabase', 5432)).toEqual({ host: '127.0.0.1', port, aliased: true });

    const source_url = `${fixtures.url}/taxi`;
    const r04 = await runFlow('04_postgres_taxi.yaml', { taxi: 'green', source_url });
    expect(r04.execution.state, JSON.stringify(r04.taskRuns.filter((t) => t.error).map((t) => t.error))).toBe('SUCCESS');
    const r05 = await runFlow('05_postgres_taxi_scheduled.yaml', { source_url }, { triggerId: 'green_schedule', triggerDate: '2019-02-01T09:00:00Z' });
    expect(r05.execution.state, JSON.stringify(r05.taskRuns.filter((t) => t.error).map((t) => t.error))).toBe('SUCCESS');
    expect(r05.execution.labels.file).toBe('green_tripdata_2019-02.csv');

    const stopped = await pgStop.POST(new Request(`${base}/api/postgres/stop`, post({})), none);
    expect(await stopped.json()).toMatchObject({ state: 'stopped' });
    expect(app.settings.hostAliases.lookup('pgdatabase')).toBeUndefined();
    expect(await listening(port)).toBe(false);

    // Started again, it stops when the app closes.
    await app.postgres.start(port);
    expect(await listening(port)).toBe(true);
    await app.close();
    expect(await listening(port)).toBe(false);
    app = await testApp('sqlite');
    installApp(app);
  });
});
