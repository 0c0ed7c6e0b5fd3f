/**
 * Pages of an execution's stored log, read from SQLite with two statements prepared once:
 * what the logs route and a page catching up read while a run writes. The writer thread
 * keeps them off its own connection: WAL readers never wait for the writer (nor it for
 * them), so a page read on the calling thread costs the writes nothing, where on the
 * writer's thread every page held up the next batch.
 */
import type Database from 'better-sqlite3';
import type { LogLineRow } from './hot-writer';
import { LOG_LEVELS, type LogLevel } from '../model/log';

type Row = Record<string, unknown>;

export class SqliteLogPages {
  private readonly selectExists: Database.Statement;
  private readonly selectLogPage: Database.Statement;

  constructor(db: Database.Database) {
    this.selectExists = db.prepare(`SELECT 1 FROM "Execution" WHERE "id" = ?`).pluck();
    this.selectLogPage = db.prepare(
      `SELECT "seq", "taskRunId", "taskId", "level", "message", "at" FROM "LogLine" WHERE "executionId" = ? AND "seq" > ? ORDER BY "seq" LIMIT ?`,
    );
  }

  /** Lines after `afterSeq` in seq order, at most `limit`; undefined when there is no such execution. */
  page(executionId: string, afterSeq: number, limit: number): LogLineRow[] | undefined {
    if (this.selectExists.get(executionId) === undefined) return undefined;
    return (this.selectLogPage.all(executionId, afterSeq, limit) as Row[]).map((r) => ({
      executionId,
      seq: Number(r.seq),
      taskRunId: typeof r.taskRunId === 'string' ? r.taskRunId : undefined,
      taskId: typeof r.taskId === 'string' ? r.taskId : undefined,
      level: levelOf(r.level),
      message: String(r.message),
      at: isoOfStored(String(r.at)),
    }));
  }
}

function levelOf(text: unknown): LogLevel {
  return LOG_LEVELS.find((l) => l === text) ?? 'INFO';
}

/** A stored date (`…+00:00`, as the hot writer and Prisma write it) as ISO-8601 with `Z`. */
function isoOfStored(text: string): string {
  return text.length === 29 && text.endsWith('+00:00') ? `${text.slice(0, 23)}Z` : new Date(text).toISOString();
}
