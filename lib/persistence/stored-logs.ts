/**
 * The log lines of a stored execution, for the engine to hand to log.Fetch once the execution
 * is no longer running (the engine answers for the ones it runs).
 */
import type { Db } from '../db/client';
import type { StoredLogs } from '../engine';
import { LOG_LEVELS, type LogLevel } from '../model/log';

function levelOf(text: string): LogLevel {
  return LOG_LEVELS.find((l) => l === text) ?? 'INFO';
}

export function storedLogReader(db: Db): StoredLogs {
  return async ({ executionId }) => {
    const execution = await db.execution.findUnique({ where: { id: executionId }, select: { namespace: true, flowId: true } });
    if (!execution) return [];
    const rows = await db.logLine.findMany({ where: { executionId }, orderBy: { seq: 'asc' } });
    return rows.map((r) => ({
      executionId,
      namespace: execution.namespace,
      flowId: execution.flowId,
      taskId: r.taskId ?? undefined,
      taskRunId: r.taskRunId ?? undefined,
      level: levelOf(r.level),
      message: r.message,
      at: r.at.toISOString(),
    }));
  };
}
