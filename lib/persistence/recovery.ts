/** Start-up recovery: executions a crash left running are KILLED, with a line saying why. */
import type { Db } from '../db/client';
import { ACTIVE_STATES } from '../model/states';

export async function killOrphanedExecutions(db: Db): Promise<string[]> {
  // Every state a run can still leave (RUNNING, but also PAUSED, RETRYING, KILLING, …).
  const active = [...ACTIVE_STATES];
  const orphans = await db.execution.findMany({ where: { state: { in: active } } });
  const now = new Date();
  for (const e of orphans) {
    await db.$transaction([
      db.taskRun.updateMany({ where: { executionId: e.id, state: { in: active } }, data: { state: 'KILLED', endDate: now } }),
      db.logLine.create({
        data: { executionId: e.id, seq: e.lastSeq + 1, level: 'ERROR', message: 'execution KILLED: the Flowbook server stopped while it was running', at: now },
      }),
      db.execution.update({ where: { id: e.id }, data: { state: 'KILLED', endDate: now, lastSeq: e.lastSeq + 1, error: 'the server stopped while this execution was running' } }),
    ]);
  }
  return orphans.map((e) => e.id);
}
