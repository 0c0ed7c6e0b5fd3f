import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/postgres';
import { runCli } from '../../test/support/cli';
import { isProblem } from '../model/problem';
import { BuiltinPostgres, type BuiltinPostgresStatus } from './builtin';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './embedded';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A Flowbook data dir as the server makes one: private (0700), as mkdtemp leaves it. */
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-builtin-pg-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Something else listening on a port, as a docker-compose PostgreSQL would. */
async function occupy(): Promise<number> {
  const port = await freePort();
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return port;
}

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

describe('the built-in PostgreSQL', () => {
  it('starts with the course settings on the port asked for, reports each state, and stops', async () => {
    const changes: BuiltinPostgresStatus[] = [];
    const builtin = new BuiltinPostgres({ dataDir: dataDir(), onChange: (s) => changes.push(s) });
    cleanups.push(async () => void (await builtin.stop()));
    expect(builtin.status()).toMatchObject({ state: 'stopped', port: 5432, alias: 'pgdatabase', user: 'root', password: 'root', database: 'ny_taxi' });

    const port = await freePort();
    const [a, b] = await Promise.all([builtin.start(port), builtin.start(port)]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ state: 'running', port, url: `postgres://root:root@127.0.0.1:${port}/ny_taxi`, jdbcUrl: `jdbc:postgresql://127.0.0.1:${port}/ny_taxi` });
    expect(changes.map((c) => c.state)).toEqual(['starting', 'running']);

    const client = new pg.Client({ host: '127.0.0.1', port, user: 'root', password: 'root', database: 'ny_taxi' });
    await client.connect();
    expect((await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db).toBe('ny_taxi');
    await client.end();

    const other = await problemOf(builtin.start(port + 1));
    expect(other.kind).toBe('conflict');
    expect((await builtin.stop()).state).toBe('stopped');
    expect(await listening(port)).toBe(false);
    expect(changes.at(-1)?.state).toBe('stopped');
  });

  it('says the port is in use instead of failing silently', async () => {
    const port = await occupy();
    await expect(startEmbeddedPostgres({ dataDir: path.join(dataDir(), 'pg'), port })).rejects.toSatisfy(
      (err: unknown) => err instanceof EmbeddedPostgresError && err.reason === 'port-in-use' && err.message.startsWith(`port ${port} is already in use on 127.0.0.1`),
    );

    const builtin = new BuiltinPostgres({ dataDir: dataDir(), defaultPort: port });
    const refused = await problemOf(builtin.start());
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toContain(`port ${port} is already in use`);
    expect(builtin.status()).toMatchObject({ state: 'failed', port, error: expect.stringContaining('already in use') });
  });

  it('notices when its server goes away on its own', async () => {
    const dir = dataDir();
    const builtin = new BuiltinPostgres({ dataDir: dir });
    cleanups.push(async () => void (await builtin.stop()));
    const status = await builtin.start(await freePort());
    // Ask the server itself to shut down, as a crash or `pg_ctl stop` would end it.
    const pidFile = path.join(dir, 'postgres', 'postmaster.pid');
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGINT');
    await expect.poll(() => builtin.status().state, { timeout: 20_000 }).toBe('failed');
    expect(builtin.status().error).toBe(`PostgreSQL on port ${status.port} stopped unexpectedly`);
  });
});

describe('flowbook postgres start', () => {
  it('exits 1 with a clear message when the port is in use', async () => {
    const port = await occupy();
    const r = await runCli(['postgres', 'start', '--port', String(port), '--dir', path.join(dataDir(), 'pg')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`flowbook: port ${port} is already in use on 127.0.0.1`);
    expect(r.stderr).toContain('with --port N');
  });
});

async function problemOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isProblem(err)) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
