/** Start-up recovery: executions a crash left running are KILLED, with a line saying why. */
import type { Db } from '../db/client';

export async function killOrphanedExecutions(db: Db): Promise<string[]> {
  const orphans = await db.execution.findMany({ where: { state: { in: ['CREATED', 'QUEUED', 'RUNNING'] } } });
  const now = new Date();
  for (const e of orphans) {
    await db.$transaction([
      db.taskRun.updateMany({ where: { executionId: e.id, state: { in: ['CREATED', 'QUEUED', 'RUNNING'] } }, data: { state: 'KILLED', endDate: now } }),
      db.logLine.create({
        data: { executionId: e.id, seq: e.lastSeq + 1, level: 'ERROR', message: 'execution KILLED: the Flowbook server stopped while it was running', at: now },
      }),
      db.execution.update({ where: { id: e.id }, data: { state: 'KILLED', endDate: now, lastSeq: e.lastSeq + 1, error: 'the server stopped while this execution was running' } }),
    ]);
  }
  return orphans.map((e) => e.id);
}
