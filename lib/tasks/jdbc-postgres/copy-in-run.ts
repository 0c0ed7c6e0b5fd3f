/** What the CopyIn task does (COPY … FROM STDIN from a stored file); loaded with pg when it first runs. */
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { isStorageUri } from '../../storage/storage';
import type { RunContext, TaskResult } from '../types';
import { TaskError } from '../types';
import { connectPostgres, postgresMessage, withTransaction } from './transport';
import { copyOptions, tableAndColumns } from './copy-options';

export async function run(ctx: RunContext): Promise<TaskResult> {
  const task = ctx.task;
  const from = ctx.renderString(task.from);
  if (!isStorageUri(from)) throw new TaskError(`from must be a kestra:// URI of a file in storage (got "${from}")`);
  const sql = `COPY ${tableAndColumns(ctx)} FROM STDIN${copyOptions(ctx, 'in')}`;
  ctx.logger.debug(sql);
  const source = ctx.storage.openRead(from);
  const session = await connectPostgres(ctx);
  try {
    const rowCount = await withTransaction(ctx, session, async () => {
      const sink = session.client.query(copyFrom(sql));
      try {
        await pipeline(source, sink);
      } catch (error) {
        const message = ctx.signal.aborted ? `task '${task.id}' was cancelled: ${postgresMessage(error)}` : postgresMessage(error);
        throw new TaskError(`${message}\nin task '${task.id}' while running: ${sql}`, { cause: error });
      }
      return sink.rowCount;
    });
    ctx.metric('rows', 'counter', rowCount);
    ctx.logger.info(`copied ${rowCount} rows into ${ctx.renderString(task.table)}`);
    return { outputs: { rowCount } };
  } finally {
    source.destroy();
    await session.close();
  }
}
