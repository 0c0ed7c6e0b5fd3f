import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { to as copyTo } from 'pg-copy-streams';
import { taskSchema } from '../schema';
import type { RunnableTaskDefinition, RunContext, TaskResult } from '../types';
import { TaskError } from '../types';
import { connectionProperties, connectPostgres, postgresMessage, withTransaction } from './transport';
import { copyOptions, copyProperties, tableAndColumns } from './copy-options';

function source(ctx: RunContext): string {
  const t = ctx.task;
  if (t.sql !== undefined) return `(${ctx.renderString(t.sql).trim().replace(/;\s*$/, '')})`;
  if (t.table !== undefined) return tableAndColumns(ctx);
  throw new TaskError(`task '${t.id}' needs a table or a sql query to copy out`);
}

async function run(ctx: RunContext): Promise<TaskResult> {
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

export const postgresCopyOut: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.jdbc.postgresql.CopyOut',
  title: 'Export a PostgreSQL table or query to a file',
  description:
    'Streams a table, or the result of a query, out of PostgreSQL with COPY … TO STDOUT into a file in internal storage (CSV, TEXT or BINARY). ' +
    'Outputs uri (the file) and rowCount. Use it to hand data to a later task or to download it.',
  outputs: ['uri', 'rowCount'],
  properties: taskSchema({
    ...connectionProperties,
    ...copyProperties,
    table: z.string().optional().describe('Table to export (or give sql).'),
    columns: z.array(z.string()).optional().describe('Columns of table to export.'),
    sql: z.string().optional().describe('A query whose result is exported, instead of a table.'),
  }),
  example: `id: export_zones
type: io.kestra.plugin.jdbc.postgresql.CopyOut
url: jdbc:postgresql://pgdatabase:5432/ny_taxi
username: root
password: root
format: CSV
header: true
sql: SELECT * FROM public.green_tripdata WHERE filename = 'green_tripdata_2019-01.csv'
`,
  run,
};
