/**
 * A real app (database, engine, services) in a temp data dir, on SQLite or on an
 * embedded PostgreSQL, for the web app's tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../lib/server/app';
import type { DatabaseConfig } from '../../lib/db/config';
import { startPostgres, type TestPostgres } from './pg';

export type Provider = 'sqlite' | 'postgresql';

let pg: Promise<TestPostgres> | undefined;
let dbCounter = 0;

export async function stopSharedPostgres(): Promise<void> {
  if (pg) await (await pg).stop();
  pg = undefined;
}

export async function testApp(
  provider: Provider,
  opts: { samplesDir?: string; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<App & { tmp: string; databaseConfig: DatabaseConfig }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-app-'));
  let database: DatabaseConfig;
  if (provider === 'sqlite') {
    database = { kind: 'sqlite', file: path.join(tmp, 'flowbook.db') };
  } else {
    pg ??= startPostgres();
    database = { kind: 'postgresql', url: await (await pg).createDatabase(`app_${process.pid}_${++dbCounter}`) };
  }
  const app = await createApp({ dataDir: tmp, database, samplesDir: opts.samplesDir, env: { ...opts.env, FLOWBOOK_DEFAULT_RUNNER: 'process' } });
  // The database's config goes with the app, so a test can open the same database again (a restart).
  return Object.assign(app, { tmp, databaseConfig: database });
}

export const LOG_FLOW = `id: logs
namespace: test.app

tasks:
  # %% [markdown]
  # A first **note**.
  - id: first
    type: io.kestra.plugin.core.debug.Return
    format: "hello"

  # a comment that must survive edits
  - id: second
    type: io.kestra.plugin.core.log.Log
    message: "got {{ outputs.first.value }}"

  - id: third
    type: io.kestra.plugin.core.log.Log
    message: third
`;
