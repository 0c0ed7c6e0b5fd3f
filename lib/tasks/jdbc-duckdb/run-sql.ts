/**
 * Runs a DuckDB task's SQL: files in, statements one by one (so each result and each
 * error is tied to its statement), results into the chosen sink, files and database out.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { DuckDBValue, ResultReturnType } from '@duckdb/node-api';

/** `ResultReturnType.QUERY_RESULT`, without loading the native module just for an enum. */
const QUERY_RESULT = 3 as ResultReturnType;
import type { RunContext, TaskResult } from '../types';
import { TaskError } from '../types';
import { createRowSink, queriesEntry, resolveFetchType, resolveParameters, type QueryOutput } from '../jdbc-common/fetch';
import { rewriteNamedParameters, splitStatements, type SqlStatement } from '../jdbc-common/sql-text';
import { sqlTaskError } from '../jdbc-common/sql-error';
import type { SqlRow } from '../jdbc-common/values';
import { outputFilePaths, uploadOutputFiles, writeInputFiles } from './files';
import { databaseFileFor, openDuckDb, type DuckDbSession } from './transport';
import { columnConverter } from './values';
import { ionChunkEncoder } from './ion-columns';
import { toDuckDbParameter } from './parameters';

export type DuckDbMode = 'query' | 'queries';

/** DuckDB repeats the failing line with a caret; turn that into an offset in the statement. */
function duckDbErrorOffset(message: string, statement: string): number | undefined {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m || m[2].startsWith('...')) return undefined;
  const line = Number(m[1]);
  const column = m[3].length - `LINE ${m[1]}: `.length;
  const lines = statement.split('\n');
  if (line < 1 || line > lines.length || column < 0) return undefined;
  return lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column;
}

function duckDbMessage(message: string): string {
  return message.replace(/^Failed to extract statements: /, '').replace(/\n\nLINE \d+: [\s\S]*$/, '');
}

async function runStatement(
  session: DuckDbSession,
  ctx: RunContext,
  statement: SqlStatement,
  params: Record<string, unknown>,
  sink: ReturnType<typeof createRowSink>,
): Promise<boolean> {
  const { sql } = rewriteNamedParameters(statement.text, (name) => `$${name}`);
  const prepared = await session.connection.prepare(sql);
  try {
    for (let i = 1; i <= prepared.parameterCount; i++) {
      const name = prepared.parameterName(i);
      if (!(name in params)) throw new TaskError(`the SQL uses :${name} but parameters has no "${name}"`);
      prepared.bindValue(i, toDuckDbParameter(params[name]));
    }
    const result = await prepared.stream();
    if (result.returnType !== QUERY_RESULT) return false;
    const names = result.deduplicatedColumnNames();
    const types = result.columnTypes();
    if (sink.acceptIon) {
      // STORE: chunks go to Ion text column by column, never through row objects.
      // The next chunk is asked for before this one is encoded: DuckDB computes it on its own
      // thread meanwhile. Each fetched chunk owns its memory, so the one in hand stays valid.
      const encode = ionChunkEncoder(names, types);
      let next = result.fetchChunk();
      try {
        let wanted = true;
        while (wanted && !ctx.signal.aborted) {
          const chunk = await next;
          if (!chunk || chunk.rowCount === 0) break;
          next = result.fetchChunk();
          wanted = await sink.acceptIon(encode(chunk), chunk.rowCount);
        }
      } finally {
        // Never destroy the statement under a fetch still running.
        await next.catch(() => undefined);
      }
      throwIfCancelled(ctx);
      return true;
    }
    const converters = types.map(columnConverter);
    let wanted = true;
    while (wanted && !ctx.signal.aborted) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const rows: SqlRow[] = chunk.getRows().map((values: DuckDBValue[]) => {
        const row: SqlRow = {};
        for (let c = 0; c < names.length; c++) row[names[c]] = converters[c](values[c]);
        return row;
      });
      wanted = await sink.accept(rows);
    }
    throwIfCancelled(ctx);
    return true;
  } finally {
    prepared.destroySync();
  }
}

/** A statement stopped by a cancel between chunks has a partial result, which must not become an output. */
function throwIfCancelled(ctx: RunContext): void {
  if (ctx.signal.aborted) throw new Error('stopped between result chunks');
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export async function runDuckDbTask(ctx: RunContext, mode: DuckDbMode): Promise<TaskResult> {
  const task = ctx.task;
  if (typeof task.sql !== 'string' || task.sql.trim() === '') throw new TaskError(`task '${task.id}' has no sql`);
  const workingDir = await ctx.workingDir();
  await writeInputFiles(ctx, task.inputFiles, workingDir);
  const outputFiles = outputFilePaths(ctx, task.outputFiles, workingDir);
  const url = task.url === undefined ? 'jdbc:duckdb:' : ctx.renderString(task.url);
  const dbFile = databaseFileFor(url, workingDir);
  if (task.databaseUri !== undefined && dbFile) {
    const from = ctx.renderString(task.databaseUri);
    await pipeline(ctx.storage.openRead(from), fs.createWriteStream(dbFile));
  }
  const sql = ctx.renderString(task.sql, { workingDir, outputFiles });
  const fetchType = resolveFetchType(ctx, task);
  const params = resolveParameters(ctx, task);
  const statements = splitStatements(sql);
  if (fetchType === 'NONE') ctx.logger.debug('fetchType is set to NONE, no output will be returned');

  const results: QueryOutput[] = [];
  const session = await openDuckDb(dbFile, ctx.signal);
  try {
    for (const [index, statement] of statements.entries()) {
      if (ctx.signal.aborted) throw new TaskError(`task '${task.id}' was cancelled before statement ${index + 1}`);
      if (session.isBuiltinInstall(statement.text)) {
        ctx.logger.info(`${statement.text.replace(/;$/, '')}: built in, nothing to download`);
        continue;
      }
      const sink = createRowSink({ ctx, fetchType, label: `${task.id}-${index + 1}` });
      let returnedRows: boolean;
      try {
        returnedRows = await runStatement(session, ctx, statement, params, sink);
      } catch (error) {
        await sink.abort();
        if (error instanceof TaskError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        if (ctx.signal.aborted) throw new TaskError(`task '${task.id}' was cancelled while running statement ${index + 1}: ${duckDbMessage(message)}`, { cause: error });
        throw sqlTaskError(duckDbMessage(message), { taskId: task.id, sql, statement, index, count: statements.length, offsetInStatement: duckDbErrorOffset(message, statement.text) }, error);
      }
      if (!returnedRows) continue;
      const output = await sink.finish();
      if (output) results.push(mode === 'queries' ? queriesEntry(output, fetchType) : output);
    }
  } finally {
    session.close();
  }

  const outputs: Record<string, unknown> = {};
  if (mode === 'queries') outputs.outputs = results;
  // A Query whose SQL returned no result set has an empty output in Kestra, whatever the fetchType.
  else Object.assign(outputs, results.at(-1) ?? {});
  const uploaded = await uploadOutputFiles(ctx, outputFiles);
  if (Object.keys(uploaded).length > 0) outputs.outputFiles = uploaded;
  if (isTrue(ctx.render(task.outputDbFile))) {
    if (!dbFile) throw new TaskError('outputDbFile needs a database file, not jdbc:duckdb::memory:');
    outputs.databaseUri = await ctx.putFile(dbFile, 'database.duckdb');
  }
  return { outputs };
}
