/**
 * The hot writer on SQLite: its own better-sqlite3 connection to the app's file (WAL, so
 * Prisma's reads never wait for it), statements prepared once, one IMMEDIATE transaction a
 * batch.
 *
 * A transaction here runs synchronously from BEGIN to COMMIT, so it never holds the write
 * lock across an await. Prisma's connection, in the same thread, can: its transactions
 * await between statements. Waiting for the lock synchronously (a busy timeout) would then
 * block the very thread that must finish Prisma's transaction, so this connection never
 * waits: a busy database fails the attempt at once and the batch is tried again after a
 * short pause, off the thread's back.
 */
import Database from 'better-sqlite3';
import type { HotBatch, HotWriter, LogLineRow, StoredExecution } from './hot-writer';
import { NONE, toLogColumns, type LogColumns } from './log-columns';
import { LOG_LEVELS, type LogLevel } from '../model/log';

/** A batch with its log lines in columns, as it reaches the writer's thread. */
export type ColumnBatch = Omit<HotBatch, 'logs'> & { logs: LogColumns };

/** Rows per multi-row log INSERT: 7 values each, far below SQLite's parameter limit. */
const LOG_ROWS_PER_STATEMENT = 64;
/** How long a busy database is retried before the batch is given up as failed. */
const BUSY_GIVE_UP_MS = 30_000;
/**
 * Log lines written since the last checkpoint past which a batch checkpoints at once, idle
 * or not: about 40 MB of WAL, so the file stays bounded under a run that never pauses.
 */
const CHECKPOINT_AFTER_LINES = 200_000;

type Row = Record<string, unknown>;

/** SQLite keeps dates as Prisma's adapter writes them: ISO-8601 with `+00:00`. */
function sqliteDate(iso: string): string;
function sqliteDate(iso: string | null): string | null;
function sqliteDate(iso: string | null): string | null {
  if (iso === null) return null;
  return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso;
}

function isoOf(text: unknown): string | null {
  return typeof text === 'string' && text !== '' ? new Date(text).toISOString() : null;
}

/** The bound values of `count` lines from `from`: 7 a line, dates in the stored form (`dates`, by string ref). */
function logValues(c: LogColumns, dates: (string | undefined)[], from: number, count: number): unknown[] {
  const values: unknown[] = new Array(count * 7);
  const { strings } = c;
  for (let k = 0; k < count; k++) {
    const i = from + k;
    const o = k * 7;
    const taskRun = c.taskRunId[i];
    const task = c.taskId[i];
    const at = c.at[i];
    values[o] = strings[c.executionId[i]];
    values[o + 1] = c.seq[i];
    values[o + 2] = taskRun === NONE ? null : strings[taskRun];
    values[o + 3] = task === NONE ? null : strings[task];
    values[o + 4] = strings[c.level[i]];
    values[o + 5] = c.message[i];
    values[o + 6] = dates[at] ??= sqliteDate(strings[at]);
  }
  return values;
}

const INSERT_LOGS = (n: number) =>
  `INSERT INTO "LogLine" ("executionId", "seq", "taskRunId", "taskId", "level", "message", "at") VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`;

export class SqliteHotWriter implements HotWriter {
  private readonly db: Database.Database;
  private readonly writeBatch: (batch: ColumnBatch) => void;
  private readonly selectExecution: Database.Statement;
  private readonly selectTaskRuns: Database.Statement;
  private readonly selectExists: Database.Statement;
  private readonly selectLogPage: Database.Statement;

  /** Log lines (and other rows, counted alike) committed since the WAL was last checkpointed. */
  private sinceCheckpoint = 0;

  /**
   * With `checkpointWhenIdle`, the owner calls `idle()` whenever no request waits, and the WAL
   * is copied into the database then instead of in the middle of a batch. SQLite's automatic
   * checkpoint (every 1,000 pages, inside the commit that crosses the mark) cost a chatty run
   * a fifth of its insert time, on the path every line waits on.
   */
  constructor(file: string, options: { checkpointWhenIdle?: boolean } = {}) {
    this.db = new Database(file, { timeout: 0 });
    this.db.pragma('journal_mode = WAL');
    if (options.checkpointWhenIdle) this.db.pragma('wal_autocheckpoint = 0');
    // A commit reaches the WAL file without waiting for the disk: a killed server loses
    // nothing committed, and only a power cut can drop the last batches (never half of
    // one). Waiting for the disk at every batch would cost more than the batch itself.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    const insertExecution = this.db.prepare(
      `INSERT INTO "Execution" ("id", "notebookId", "namespace", "flowId", "state", "mode", "targetTaskId", "labels", "inputs", "flowYaml", "cellHashes", "triggerId", "triggerDate", "startDate")
       VALUES (@id, @notebookId, @namespace, @flowId, @state, @mode, @targetTaskId, @labels, @inputs, @flowYaml, @cellHashes, @triggerId, @triggerDate, @startDate)`,
    );
    const updateExecution = this.db.prepare(
      `UPDATE "Execution" SET "state" = @state, "labels" = @labels, "inputs" = @inputs, "startDate" = @startDate, "endDate" = @endDate, "error" = @error, "lastSeq" = @lastSeq WHERE "id" = @id`,
    );
    const updateLastSeq = this.db.prepare(`UPDATE "Execution" SET "lastSeq" = ? WHERE "id" = ?`);
    const upsertTaskRun = this.db.prepare(
      `INSERT INTO "TaskRun" ("id", "executionId", "taskId", "ord", "sourceHash", "contextHash", "state", "attempt", "parentTaskRunId", "value", "iteration", "startDate", "endDate", "outputs", "details", "error")
       VALUES (@id, @executionId, @taskId, @ord, @sourceHash, @contextHash, @state, @attempt, @parentTaskRunId, @value, @iteration, @startDate, @endDate, @outputs, @details, @error)
       ON CONFLICT ("id") DO UPDATE SET "state" = excluded."state", "attempt" = excluded."attempt", "parentTaskRunId" = excluded."parentTaskRunId",
         "value" = excluded."value", "iteration" = excluded."iteration", "startDate" = excluded."startDate", "endDate" = excluded."endDate",
         "outputs" = excluded."outputs", "details" = excluded."details", "error" = excluded."error"`,
    );
    const insertLogsMany = this.db.prepare(INSERT_LOGS(LOG_ROWS_PER_STATEMENT));
    const insertLogOne = this.db.prepare(INSERT_LOGS(1));
    this.selectExecution = this.db.prepare(
      `SELECT "notebookId", "namespace", "flowId", "mode", "targetTaskId", "triggerId", "triggerDate", "cellHashes", "lastSeq" FROM "Execution" WHERE "id" = ?`,
    );
    this.selectTaskRuns = this.db.prepare(`SELECT "id", "ord" FROM "TaskRun" WHERE "executionId" = ?`);
    this.selectExists = this.db.prepare(`SELECT 1 FROM "Execution" WHERE "id" = ?`).pluck();
    this.selectLogPage = this.db.prepare(
      `SELECT "seq", "taskRunId", "taskId", "level", "message", "at" FROM "LogLine" WHERE "executionId" = ? AND "seq" > ? ORDER BY "seq" LIMIT ?`,
    );

    this.writeBatch = this.db
      .transaction((batch: ColumnBatch) => {
        for (const e of batch.created) insertExecution.run({ ...e, triggerDate: sqliteDate(e.triggerDate), startDate: sqliteDate(e.startDate) });
        for (const t of batch.taskRuns) upsertTaskRun.run({ ...t, startDate: sqliteDate(t.startDate), endDate: sqliteDate(t.endDate) });
        const logs = batch.logs;
        const dates: (string | undefined)[] = new Array(logs.strings.length);
        let i = 0;
        for (; i + LOG_ROWS_PER_STATEMENT <= logs.length; i += LOG_ROWS_PER_STATEMENT) insertLogsMany.run(logValues(logs, dates, i, LOG_ROWS_PER_STATEMENT));
        for (; i < logs.length; i++) insertLogOne.run(logValues(logs, dates, i, 1));
        for (const e of batch.executions) {
          if (e.state) updateExecution.run({ id: e.id, lastSeq: e.lastSeq, ...e.state, startDate: sqliteDate(e.state.startDate), endDate: sqliteDate(e.state.endDate) });
          else updateLastSeq.run(e.lastSeq, e.id);
        }
      })
      .immediate;
  }

  write(batch: HotBatch): Promise<void> {
    return this.writeColumns({ ...batch, logs: toLogColumns(batch.logs) });
  }

  async writeColumns(batch: ColumnBatch): Promise<void> {
    const started = Date.now();
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      try {
        this.writeBatch(batch);
        this.sinceCheckpoint += batch.logs.length + batch.taskRuns.length + batch.created.length + batch.executions.length;
        if (this.sinceCheckpoint >= CHECKPOINT_AFTER_LINES) this.checkpoint();
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() - started > BUSY_GIVE_UP_MS) throw err;
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /**
   * Nothing waits: the moment to copy the WAL into the database (a no-op when nothing was
   * written). False when a reader's snapshot kept part of it back, to be tried again later.
   */
  idle(): boolean {
    return this.sinceCheckpoint === 0 || !this.db.open || this.checkpoint();
  }

  /**
   * Never throws: it runs after a batch has committed, and a failure here must not make a
   * stored batch look failed. A checkpoint that fails, or copies only part of the WAL,
   * loses nothing (the WAL keeps every commit); the next one copies the rest.
   */
  private checkpoint(): boolean {
    try {
      // PASSIVE: never waits for readers; frames a reader's snapshot still needs stay for a later one.
      const [result] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      const complete = result === undefined || (result.busy === 0 && result.checkpointed >= result.log);
      if (complete) this.sinceCheckpoint = 0;
      return complete;
    } catch (err) {
      console.error('flowbook: WAL checkpoint failed:', err);
      return false;
    }
  }

  async logPage(executionId: string, afterSeq: number, limit: number): Promise<LogLineRow[] | undefined> {
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

  async load(executionId: string): Promise<StoredExecution | undefined> {
    const row = this.selectExecution.get(executionId) as Row | undefined;
    if (!row) return undefined;
    const taskRuns = new Map<string, number>();
    for (const t of this.selectTaskRuns.all(executionId) as Row[]) taskRuns.set(String(t.id), Number(t.ord));
    return {
      notebookId: String(row.notebookId),
      namespace: String(row.namespace),
      flowId: String(row.flowId),
      mode: String(row.mode),
      targetTaskId: typeof row.targetTaskId === 'string' ? row.targetTaskId : null,
      triggerId: typeof row.triggerId === 'string' ? row.triggerId : null,
      triggerDate: isoOf(row.triggerDate),
      cellHashes: String(row.cellHashes),
      lastSeq: Number(row.lastSeq),
      taskRuns,
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function levelOf(text: unknown): LogLevel {
  return LOG_LEVELS.find((l) => l === text) ?? 'INFO';
}

/** A stored date (`…+00:00`, as written here and by Prisma) as ISO-8601 with `Z`. */
function isoOfStored(text: string): string {
  return text.length === 29 && text.endsWith('+00:00') ? `${text.slice(0, 23)}Z` : new Date(text).toISOString();
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
