/**
 * Connecting a PostgreSQL task: JDBC URL parsing, host aliases, credentials from the task
 * (pluginDefaults already merged), one transaction per task, and cancel on abort.
 */
import pg from 'pg';
import type { RunContext } from '../types';
import { TaskError } from '../types';
import { sqlValueTypes } from './types';

export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  ssl: boolean;
  /** Extra run-time settings (e.g. `currentSchema` → search_path). */
  options?: string;
}

/**
 * `jdbc:postgresql://host[:port][/database][?k=v&…]`, `jdbc:postgresql:database`, or a
 * `postgres://` URL. Query parameters `user`, `password`, `ssl`, `sslmode`, `currentSchema`
 * are understood; others are ignored as the JDBC driver ignores unknown ones.
 */
export function parsePostgresUrl(url: string): PgTarget {
  const trimmed = url.trim();
  let rest: string;
  if (/^jdbc:postgresql:\/\//i.test(trimmed)) rest = trimmed.replace(/^jdbc:postgresql:/i, 'postgres:');
  else if (/^jdbc:postgresql:/i.test(trimmed)) rest = `postgres://localhost/${trimmed.replace(/^jdbc:postgresql:/i, '')}`;
  else if (/^postgres(ql)?:\/\//i.test(trimmed)) rest = trimmed.replace(/^postgresql:/i, 'postgres:');
  else throw new TaskError(`url must look like jdbc:postgresql://host:port/database (got "${url}")`);
  let parsed: URL;
  try {
    parsed = new URL(rest);
  } catch (error) {
    throw new TaskError(`url "${url}" is not a valid PostgreSQL URL`, { cause: error });
  }
  const params = parsed.searchParams;
  const sslmode = params.get('sslmode');
  const schema = params.get('currentSchema');
  return {
    host: decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, '')) || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    user: params.get('user') ?? (parsed.username ? decodeURIComponent(parsed.username) : undefined),
    password: params.get('password') ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined),
    ssl: params.get('ssl') === 'true' || (sslmode !== null && !['disable', 'allow', 'prefer'].includes(sslmode)),
    options: schema ? `-c search_path=${schema}` : undefined,
  };
}

export { connectionProperties } from './connection-properties';

export interface PgSession {
  client: pg.Client;
  /** Where the task is connected, for messages. */
  where: string;
  close(): Promise<void>;
}

export function resolveTarget(ctx: RunContext): PgTarget {
  const task = ctx.task;
  if (task.url === undefined) throw new TaskError(`task '${task.id}' has no url (set it on the task or in pluginDefaults)`);
  const target = parsePostgresUrl(ctx.renderString(task.url));
  if (task.username !== undefined) target.user = ctx.renderString(task.username);
  if (task.password !== undefined) target.password = ctx.renderString(task.password);
  if (target.password) ctx.maskSecret(target.password);
  const aliased = ctx.hostAliases.resolve(target.host, target.port);
  if (aliased.aliased) {
    ctx.logger.info(`connection alias ${target.host} → ${aliased.host}:${aliased.port ?? target.port}`);
    target.host = aliased.host.replace(/^\[|\]$/g, '');
    target.port = aliased.port ?? target.port;
  }
  return target;
}

/** Asks the server to cancel the session's running statement, from a second connection. */
async function cancelBackend(target: PgTarget, pid: number): Promise<void> {
  const killer = new pg.Client({ ...clientConfig(target), connectionTimeoutMillis: 5000 });
  try {
    await killer.connect();
    await killer.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await killer.end().catch(() => undefined);
  }
}

function clientConfig(target: PgTarget): pg.ClientConfig {
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password,
    ssl: target.ssl ? { rejectUnauthorized: false } : undefined,
    options: target.options,
    types: sqlValueTypes,
    connectionTimeoutMillis: 30_000,
  };
}

export async function connectPostgres(ctx: RunContext): Promise<PgSession> {
  const target = resolveTarget(ctx);
  const where = `${target.host}:${target.port}/${target.database}`;
  const client = new pg.Client(clientConfig(target));
  // A dropped connection emits 'error' on the client; the running query rejects on its own.
  client.on('error', (error) => ctx.logger.warn(`connection to ${where} lost: ${error.message}`));
  try {
    await client.connect();
  } catch (error) {
    throw new TaskError(`could not connect to PostgreSQL at ${where} as ${target.user ?? '(no user)'}: ${(error as Error).message}`, { cause: error });
  }
  const pid = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const onAbort = () => {
    ctx.logger.info(`cancelling the running statement (backend ${pid})`);
    cancelBackend(target, pid).catch((error: Error) => ctx.logger.warn(`could not cancel backend ${pid}: ${error.message}`));
  };
  ctx.signal.addEventListener('abort', onAbort);
  return {
    client,
    where,
    close: async () => {
      ctx.signal.removeEventListener('abort', onAbort);
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Runs `work` inside one transaction (unless `transaction: false`), rolling back on any
 * error so a failed task leaves the database as it found it.
 */
export async function withTransaction<T>(ctx: RunContext, session: PgSession, work: () => Promise<T>): Promise<T> {
  const transactional = ctx.render(ctx.task.transaction) !== false && ctx.render(ctx.task.transaction) !== 'false';
  if (!transactional) return work();
  await session.client.query('BEGIN');
  try {
    const result = await work();
    await session.client.query('COMMIT');
    return result;
  } catch (error) {
    await session.client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** `ERROR: message`, with the server's detail and hint when it gave them. */
export function postgresMessage(error: unknown): string {
  if (error instanceof pg.DatabaseError) {
    const parts = [`${error.severity ?? 'ERROR'}: ${error.message}`];
    if (error.detail) parts.push(`Detail: ${error.detail}`);
    if (error.hint) parts.push(`Hint: ${error.hint}`);
    if (error.code) parts.push(`(SQLSTATE ${error.code})`);
    return parts.join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}
