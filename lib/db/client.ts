/**
 * Opens the database with the driver adapter for its provider. Prisma binds a generated
 * client to one provider, so there is one client per provider; both come from the same
 * models, and the app codes against the SQLite client's type. Only the provider in use is
 * loaded (its client, adapter and driver), so a start on SQLite never loads pg.
 */
import type { PrismaClient as SqliteClient } from '../generated/prisma/sqlite/client';
import type { DatabaseConfig, DatabaseKind } from './config';
import { applyMigrations } from './migrate';

/**
 * How long a write waits for another connection's lock before it fails: as long as the hot
 * writer retries a busy batch, so a database held for 10 s by another program (a backup, a
 * `sqlite3` shell) delays a user's save instead of answering it with an error.
 */
const SQLITE_BUSY_WAIT_MS = 30_000;

export type Db = SqliteClient;
export type { Notebook, Execution, TaskRun, LogLine, Secret, Setting } from '../generated/prisma/sqlite/client';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  close(): Promise<void>;
}

/** Applies pending migrations, then connects. */
export async function openDatabase(config: DatabaseConfig, opts: { migrationsRoot?: string } = {}): Promise<Database> {
  await applyMigrations(config, opts.migrationsRoot);
  let db: Db;
  if (config.kind === 'sqlite') {
    const [{ PrismaClient }, { PrismaBetterSqlite3 }] = await Promise.all([import('../generated/prisma/sqlite/client'), import('@prisma/adapter-better-sqlite3')]);
    db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: config.file, timeout: SQLITE_BUSY_WAIT_MS }) });
  } else {
    const [{ PrismaClient }, { PrismaPg }] = await Promise.all([import('../generated/prisma/postgresql/client'), import('@prisma/adapter-pg')]);
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.url }) });
    // Same models and only queries both providers support (no provider-only filters such
    // as `mode: 'insensitive'`), so the PostgreSQL client serves through the SQLite type.
    db = client as unknown as Db;
  }
  await db.$connect();
  return { db, kind: config.kind, close: () => db.$disconnect() };
}
