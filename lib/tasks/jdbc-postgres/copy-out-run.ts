/** What the CopyOut task does (COPY … TO STDOUT into a stored file); loaded with pg when it first runs. */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { RunContext, TaskResult } from '../types';
import { TaskError } from '../types';
import { connectPostgres, postgresMessage, withTransaction } from './transport';
import { copyOptions, tableAndColumns } from './copy-options';

function source(ctx: RunContext): string {
  const t = ctx.task;
  if (t.sql !== undefined) return `(${ctx.renderString(t.sql).trim().replace(/;\s*$/, '')})`;
  if (t.table !== undefined) return tableAndColumns(ctx);
  throw new TaskError(`task '${t.id}' needs a table or a sql query to copy out`);
}

export async function run(ctx: RunContext): Promise<TaskResult> {
  const task = ctx.task;
  const sql = `COPY ${source(ctx)} TO STDOUT${copyOptions(ctx, 'out')}`;
  ctx.logger.debug(sql);
  const format = task.format === undefined ? 'TEXT' : ctx.renderString(task.format).toUpperCase();
  const file = path.join(await ctx.workingDir(), `${task.id}.${format === 'CSV' ? 'csv' : format === 'BINARY' ? 'bin' : 'tsv'}`);
  const session = await connectPostgres(ctx);
  try {
    const rowCount = await withTransaction(ctx, session, async () => {
      const stream = session.client.query(copyTo(sql));
      try {
        await pipeline(stream, fs.createWriteStream(file));
      } catch (error) {
        const message = ctx.signal.aborted ? `task '${task.id}' was cancelled: ${postgresMessage(error)}` : postgresMessage(error);
        throw new TaskError(`${message}\nin task '${task.id}' while running: ${sql}`, { cause: error });
      }
      return stream.rowCount;
    });
    const uri = await ctx.putFile(file);
    ctx.metric('rows', 'counter', rowCount);
    return { outputs: { uri, rowCount } };
  } finally {
    await session.close();
  }
}
