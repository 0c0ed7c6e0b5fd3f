/**
 * One real PostgreSQL per test file: `const pgServer = usePostgres()` at the top of a
 * describe, then `pgServer().url` inside tests (or `startTestPostgres()` / `stop()` by hand).
 * Data lives in a temp dir removed on stop.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../lib/postgres/embedded';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A random free TCP port below 32768 (above it is the kernel's ephemeral range). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 15000 + Math.floor(Math.random() * 17000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port found below 32768');
}

export interface TestPostgresOptions {
  user?: string;
  password?: string;
  database?: string;
}

export interface TestPostgres extends EmbeddedPostgresServer {
  /** postgres:// URL of another database on the same server. */
  urlFor(database: string): string;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

export async function startTestPostgres(opts: TestPostgresOptions = {}): Promise<TestPostgres> {
  const { user = 'root', password = 'root', database = 'ny_taxi' } = opts;
  // A world-searchable parent so the postgres OS user can reach the data dir when tests run as root.
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'flowbook-pg-'));
  await fsp.chmod(root, 0o755);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const server = await startEmbeddedPostgres({ dataDir: path.join(root, 'data'), port: await freePort(), user, password, database });
      return {
        ...server,
        urlFor: (db) => `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${encodeURIComponent(db)}`,
        stop: async () => {
          await server.stop();
          await fsp.rm(root, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error; // most likely a port taken between the probe and the bind
    }
  }
  if (fs.existsSync(root)) await fsp.rm(root, { recursive: true, force: true });
  throw lastError;
}

export function usePostgres(opts: TestPostgresOptions = {}): () => TestPostgres {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres(opts);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('PostgreSQL is not running (usePostgres must be called in a describe)');
    return server;
  };
}
