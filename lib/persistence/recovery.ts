/**
 * Start-up recovery after a server that stopped in the middle of runs (crash, kill -9, power
 * loss): what its tasks left running is ended first (processes and containers, by the runners,
 * handed in by the composition root), then the executions it left active are KILLED with a line
 * saying why, and their temporary folders (`<dataDir>/tmp/<execution>`) are removed. An
 * execution waiting at a Pause task is not lost: it stays PAUSED, for the engine to continue
 * (RunService.continuePaused), as a paused execution outlives a Kestra executor's restart.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client';
import { ACTIVE_STATES } from '../model/states';
import { parseJson } from './rows';

/** What the runners ended (lib/runners/leftovers.ts). */
export interface EndedLeftovers {
  processes: number;
  containers: number;
  /** Executions whose task processes were left running. */
  executions: string[];
}

export interface RecoveryOptions {
  /** The data dir whose `tmp/<execution>` folders belong to the executions recovered. */
  dataDir: string;
  /** Ends what a previous server's tasks left running; nothing is ended without it. */
  endLeftovers?: () => Promise<EndedLeftovers>;
}

export interface RecoveryReport extends Omit<EndedLeftovers, 'executions'> {
  /** Executions marked KILLED. */
  killed: string[];
  /** Executions waiting at a Pause, left PAUSED to be continued. */
  paused: string[];
  /** Temporary folders removed. */
  tmpRemoved: number;
}

export async function recoverAfterCrash(db: Db, opts: RecoveryOptions): Promise<RecoveryReport> {
  // Processes first: they may still be writing into the folders removed below.
  const ended = (await opts.endLeftovers?.()) ?? { processes: 0, containers: 0, executions: [] };
  const paused = await waitingAtPause(db);
  const killed = await killOrphanedExecutions(db, new Set(paused));
  let tmpRemoved = 0;
  const tmpRoot = path.join(opts.dataDir, 'tmp');
  for (const id of new Set([...killed, ...ended.executions])) {
    // Ids come from the database and the runs dir: never let one point outside tmp/.
    const dir = path.join(tmpRoot, id);
    if (path.dirname(dir) !== tmpRoot) continue;
    const existed = await fsp.stat(dir).then(() => true, () => false);
    await fsp.rm(dir, { recursive: true, force: true });
    if (existed) tmpRemoved++;
  }
  return { killed, paused, processes: ended.processes, containers: ended.containers, tmpRemoved };
}

/**
 * PAUSED executions with a task run paused by a Pause task (the engine marks its wait with
 * `details.pausedAt`); a loop waiting between iterations is not such a wait.
 */
export async function waitingAtPause(db: Db): Promise<string[]> {
  const rows = await db.taskRun.findMany({ where: { state: 'PAUSED', execution: { state: 'PAUSED' } }, select: { executionId: true, details: true } });
  const ids = rows.filter((r) => typeof parseJson<Record<string, unknown>>(r.details, {}).pausedAt === 'string').map((r) => r.executionId);
  return [...new Set(ids)];
}

export async function killOrphanedExecutions(db: Db, keep: ReadonlySet<string> = new Set()): Promise<string[]> {
  // Every state a run can still leave (RUNNING, but also PAUSED, RETRYING, KILLING, …).
  const active = [...ACTIVE_STATES];
  const orphans = (await db.execution.findMany({ where: { state: { in: active } } })).filter((e) => !keep.has(e.id));
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
