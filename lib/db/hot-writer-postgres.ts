/**
 * The hot writer on PostgreSQL: one dedicated `pg` connection, named prepared statements
 * (parsed and planned once per connection), one transaction a batch. Each kind of row goes
 * in one statement whatever the batch's size, as parallel arrays expanded by unnest, so a
 * batch costs a handful of round trips rather than one per row.
 */
import pg from 'pg';
import type { HotBatch, HotWriter, LogLineRow, StoredExecution } from './hot-writer';
import { LOG_LEVELS, type LogLevel } from '../model/log';

/** Rows per statement: bounds one message's size on a 100,000-line batch. */
const ROWS_PER_STATEMENT = 10_000;

const INSERT_EXECUTION = {
  name: 'flowbook_hot_insert_execution',
  text: `INSERT INTO "Execution" ("id", "notebookId", "namespace", "flowId", "state", "mode", "targetTaskId", "labels", "inputs", "flowYaml", "cellHashes", "triggerId", "triggerDate", "startDate")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::timestamp(3), $14::timestamp(3))`,
};

const UPSERT_TASK_RUNS = {
  name: 'flowbook_hot_upsert_task_runs',
  text: `INSERT INTO "TaskRun" ("id", "executionId", "taskId", "ord", "sourceHash", "contextHash", "state", "attempt", "parentTaskRunId", "value", "iteration", "startDate", "endDate", "outputs", "details", "error")
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[], $11::int[],
                              $12::timestamp(3)[], $13::timestamp(3)[], $14::text[], $15::text[], $16::text[])
         ON CONFLICT ("id") DO UPDATE SET "state" = excluded."state", "attempt" = excluded."attempt", "parentTaskRunId" = excluded."parentTaskRunId",
           "value" = excluded."value", "iteration" = excluded."iteration", "startDate" = excluded."startDate", "endDate" = excluded."endDate",
           "outputs" = excluded."outputs", "details" = excluded."details", "error" = excluded."error"`,
};

const INSERT_LOGS = {
  name: 'flowbook_hot_insert_logs',
  text: `INSERT INTO "LogLine" ("executionId", "seq", "taskRunId", "taskId", "level", "message", "at")
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[])`,
};

const UPDATE_LAST_SEQS = {
  name: 'flowbook_hot_update_last_seqs',
  text: `UPDATE "Execution" AS e SET "lastSeq" = u.last_seq FROM unnest($1::text[], $2::int[]) AS u(id, last_seq) WHERE e."id" = u.id`,
};

const UPDATE_EXECUTIONS = {
  name: 'flowbook_hot_update_executions',
  text: `UPDATE "Execution" AS e SET "state" = u.state, "labels" = u.labels, "inputs" = u.inputs, "startDate" = u.start_date,
           "endDate" = u.end_date, "error" = u.error, "lastSeq" = u.last_seq
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamp(3)[], $6::timestamp(3)[], $7::text[], $8::int[])
           AS u(id, state, labels, inputs, start_date, end_date, error, last_seq)
         WHERE e."id" = u.id`,
};

// Dates go as ISO text into `timestamp` columns, which ignore the zone designator: the
// stored value is the UTC wall time, as Prisma writes it.
const SELECT_EXECUTION = {
  name: 'flowbook_hot_select_execution',
  text: `SELECT "notebookId", "namespace", "flowId", "mode", "targetTaskId", "triggerId",
           to_char("triggerDate", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "triggerDate", "cellHashes", "lastSeq"
         FROM "Execution" WHERE "id" = $1`,
};

const SELECT_EXISTS = { name: 'flowbook_hot_select_exists', text: `SELECT 1 FROM "Execution" WHERE "id" = $1` };

const SELECT_LOG_PAGE = {
  name: 'flowbook_hot_select_log_page',
  text: `SELECT "seq", "taskRunId", "taskId", "level", "message", to_char("at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at"
         FROM "LogLine" WHERE "executionId" = $1 AND "seq" > $2 ORDER BY "seq" LIMIT $3`,
};

const SELECT_TASK_RUNS = { name: 'flowbook_hot_select_task_runs', text: `SELECT "id", "ord" FROM "TaskRun" WHERE "executionId" = $1` };

/** Columns of `rows`, one array per field, in `fields` order (an absent field is NULL). */
function columns<T>(rows: readonly T[], fields: readonly (keyof T)[]): unknown[][] {
  return fields.map((f) => rows.map((r) => r[f] ?? null));
}

export class PostgresHotWriter implements HotWriter {
  /**
   * Reads go through a pool of their own: on the writer's connection a read issued while a
   * batch is in flight would run inside its transaction and see lines not yet committed.
   */
  private constructor(
    private readonly client: pg.Client,
    private readonly readers: pg.Pool,
  ) {}

  static async connect(url: string): Promise<PostgresHotWriter> {
    const client = new pg.Client({ connectionString: url, application_name: 'flowbook hot writer' });
    // An error on an idle connection (the server restarted) surfaces on the next write; it must not crash the process.
    client.on('error', (err) => console.error('flowbook: the hot writer lost its PostgreSQL connection:', err.message));
    await client.connect();
    const readers = new pg.Pool({ connectionString: url, max: 4, application_name: 'flowbook log pages' });
    readers.on('error', (err) => console.error('flowbook: a log page connection to PostgreSQL failed:', err.message));
    return new PostgresHotWriter(client, readers);
  }

  async write(batch: HotBatch): Promise<void> {
    const c = this.client;
    await c.query('BEGIN');
    try {
      for (const e of batch.created) {
        await c.query({
          ...INSERT_EXECUTION,
          values: [e.id, e.notebookId, e.namespace, e.flowId, e.state, e.mode, e.targetTaskId, e.labels, e.inputs, e.flowYaml, e.cellHashes, e.triggerId, e.triggerDate, e.startDate],
        });
      }
      for (let i = 0; i < batch.taskRuns.length; i += ROWS_PER_STATEMENT) {
        const rows = batch.taskRuns.slice(i, i + ROWS_PER_STATEMENT);
        const values = columns(rows, ['id', 'executionId', 'taskId', 'ord', 'sourceHash', 'contextHash', 'state', 'attempt', 'parentTaskRunId', 'value', 'iteration', 'startDate', 'endDate', 'outputs', 'details', 'error']);
        await c.query({ ...UPSERT_TASK_RUNS, values });
      }
      for (let i = 0; i < batch.logs.length; i += ROWS_PER_STATEMENT) {
        const rows = batch.logs.slice(i, i + ROWS_PER_STATEMENT);
        await c.query({ ...INSERT_LOGS, values: columns(rows, ['executionId', 'seq', 'taskRunId', 'taskId', 'level', 'message', 'at']) });
      }
      const changed = batch.executions.flatMap((e) => (e.state ? [{ id: e.id, lastSeq: e.lastSeq, ...e.state }] : []));
      const seqOnly = batch.executions.filter((e) => !e.state);
      if (changed.length > 0) {
        await c.query({ ...UPDATE_EXECUTIONS, values: columns(changed, ['id', 'state', 'labels', 'inputs', 'startDate', 'endDate', 'error', 'lastSeq']) });
      }
      if (seqOnly.length > 0) await c.query({ ...UPDATE_LAST_SEQS, values: columns(seqOnly, ['id', 'lastSeq']) });
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async logPage(executionId: string, afterSeq: number, limit: number): Promise<LogLineRow[] | undefined> {
    const page = await this.readers.query<{ seq: number; taskRunId: string | null; taskId: string | null; level: string; message: string; at: string }>({
      ...SELECT_LOG_PAGE,
      values: [executionId, afterSeq, limit],
    });
    // An empty page may be an unknown execution: only then is the row looked for.
    if (page.rows.length === 0 && (await this.readers.query({ ...SELECT_EXISTS, values: [executionId] })).rows.length === 0) return undefined;
    return page.rows.map((r) => ({
      executionId,
      seq: r.seq,
      taskRunId: r.taskRunId ?? undefined,
      taskId: r.taskId ?? undefined,
      level: LOG_LEVELS.find((l): l is LogLevel => l === r.level) ?? 'INFO',
      message: r.message,
      at: r.at,
    }));
  }

  async load(executionId: string): Promise<StoredExecution | undefined> {
    const res = await this.client.query<{
      notebookId: string;
      namespace: string;
      flowId: string;
      mode: string;
      targetTaskId: string | null;
      triggerId: string | null;
      triggerDate: string | null;
      cellHashes: string;
      lastSeq: number;
    }>({ ...SELECT_EXECUTION, values: [executionId] });
    const row = res.rows[0];
    if (!row) return undefined;
    const runs = await this.client.query<{ id: string; ord: number }>({ ...SELECT_TASK_RUNS, values: [executionId] });
    return { ...row, taskRuns: new Map(runs.rows.map((r) => [r.id, r.ord])) };
  }

  async close(): Promise<void> {
    await this.readers.end();
    await this.client.end();
  }
}
