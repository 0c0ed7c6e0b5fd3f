/**
 * Applies the committed SQL migrations (prisma/migrations/<provider>/NNNN_name.sql) in
 * name order, each once, recording them in `_flowbook_migrations`. The Prisma schema
 * engine is not needed at run time, so this small migrator stands in for `migrate deploy`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DatabaseConfig, DatabaseKind } from './config';

export interface Migration {
  name: string;
  sql: string;
}

export function migrationsDir(kind: DatabaseKind, root = process.cwd()): string {
  return path.join(root, 'prisma', 'migrations', kind);
}

export function loadMigrations(kind: DatabaseKind, root?: string): Migration[] {
  const dir = migrationsDir(kind, root);
  if (!fs.existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ''), sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** Returns the names of the migrations applied now (empty when the database is current). */
export async function applyMigrations(config: DatabaseConfig, root?: string): Promise<string[]> {
  const migrations = loadMigrations(config.kind, root);
  return config.kind === 'sqlite' ? applySqlite(config.file, migrations) : applyPostgres(config.url, migrations);
}

function applySqlite(file: string, migrations: Migration[]): string[] {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS "_flowbook_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)');
    const done = new Set(db.prepare('SELECT "name" FROM "_flowbook_migrations"').all().map((r) => String((r as { name: unknown }).name)));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare('INSERT INTO "_flowbook_migrations" ("name", "appliedAt") VALUES (?, ?)').run(m.name, new Date().toISOString());
      })();
      applied.push(m.name);
    }
    return applied;
  } catch (err) {
    throw new Error(`migrating SQLite database ${file} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    db.close();
  }
}

// Any fixed number works: it only has to be the same for every Flowbook process.
const MIGRATION_LOCK = 7_431_902;

async function applyPostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Two servers starting at once must not both apply the same migration.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS "_flowbook_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TIMESTAMPTZ NOT NULL)');
    const res = await client.query<{ name: string }>('SELECT "name" FROM "_flowbook_migrations"');
    const done = new Set(res.rows.map((r) => r.name));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO "_flowbook_migrations" ("name", "appliedAt") VALUES ($1, now())', [m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}
