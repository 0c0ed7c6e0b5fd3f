/**
 * Runs a PostgreSQL task's SQL statement by statement inside the task's transaction,
 * streaming each result through a cursor into the chosen sink.
 */
import Cursor from 'pg-cursor';
import type pg from 'pg';
import type { RunContext, TaskResult } from '../types';
import { TaskError } from '../types';
import { createRowSink, fetchSizeOf, queriesEntry, resolveFetchType, resolveParameters, type QueryOutput, type RowSink } from '../jdbc-common/fetch';
import { rewriteNamedParameters, splitStatements, type SqlStatement } from '../jdbc-common/sql-text';
import { sqlTaskError } from '../jdbc-common/sql-error';
import type { SqlRow } from '../jdbc-common/values';
import { connectPostgres, postgresMessage, withTransaction } from './transport';
import { sqlValueTypes } from './types';

export type PgMode = 'query' | 'queries';

function read(cursor: Cursor<SqlRow>, count: number): Promise<{ rows: SqlRow[]; result: pg.QueryResult }> {
  return new Promise((resolve, reject) => {
    cursor.read(count, (error, rows, result) => (error ? reject(error) : resolve({ rows, result })));
  });
}

function toPgParameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

/** Returns whether the statement produced a result set (RowDescription), even an empty one. */
async function runStatement(
  client: pg.Client,
  statement: SqlStatement,
  params: Record<string, unknown>,
  sink: RowSink,
  fetchSize: number,
): Promise<boolean> {
  const { sql, names } = rewriteNamedParameters(statement.text, (_name, index) => `$${index + 1}`);
  for (const name of names) if (!(name in params)) throw new TaskError(`the SQL uses :${name} but parameters has no "${name}"`);
  const cursor = client.query(new Cursor<SqlRow>(sql, names.map((n) => toPgParameter(params[n])), { types: sqlValueTypes }));
  let returnsRows = false;
  try {
    for (;;) {
      const { rows, result } = await read(cursor, fetchSize);
      returnsRows ||= result.fields.length > 0;
      const wanted = rows.length > 0 ? await sink.accept(rows) : true;
      if (rows.length < fetchSize || !wanted) break;
    }
  } finally {
    await cursor.close().catch(() => undefined);
  }
  return returnsRows;
}

export async function runPostgresTask(ctx: RunContext, mode: PgMode): Promise<TaskResult> {
  const task = ctx.task;
  if (typeof task.sql !== 'string' || task.sql.trim() === '') throw new TaskError(`task '${task.id}' has no sql`);
  const sql = ctx.renderString(task.sql);
  const fetchType = resolveFetchType(ctx, task);
  const params = resolveParameters(ctx, task);
  const fetchSize = fetchSizeOf(ctx, task);
  const statements = splitStatements(sql);
  if (fetchType === 'NONE') ctx.logger.debug('fetchType is set to NONE, no output will be returned');

  const session = await connectPostgres(ctx);
  try {
    const results = await withTransaction(ctx, session, async () => {
      const out: QueryOutput[] = [];
      for (const [index, statement] of statements.entries()) {
        if (ctx.signal.aborted) throw new TaskError(`task '${task.id}' was cancelled before statement ${index + 1}`);
        const sink = createRowSink({ ctx, fetchType, label: `${task.id}-${index + 1}` });
        let returnsRows: boolean;
        try {
          returnsRows = await runStatement(session.client, statement, params, sink, fetchSize);
        } catch (error) {
          await sink.abort();
          if (error instanceof TaskError) throw error;
          const cancelled = ctx.signal.aborted;
          const message = cancelled ? `task '${task.id}' was cancelled: ${postgresMessage(error)}` : postgresMessage(error);
          const position = error instanceof Error && 'position' in error && typeof error.position === 'string' ? Number(error.position) - 1 : undefined;
          throw sqlTaskError(message, { taskId: task.id, sql, statement, index, count: statements.length, offsetInStatement: position }, error);
        }
        if (!returnsRows) continue;
        const output = await sink.finish();
        if (output) out.push(mode === 'queries' ? queriesEntry(output, fetchType) : output);
      }
      return out;
    });
    if (mode === 'queries') return { outputs: { outputs: results } };
    // A Query whose SQL returned no result set has an empty output in Kestra, whatever the fetchType.
    return { outputs: { ...(results.at(-1) ?? {}) } };
  } finally {
    await session.close();
  }
}
