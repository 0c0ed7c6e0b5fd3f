/**
 * The hot path's writes: execution states, task-run states, log lines and lastSeq, written
 * a batch at a time in one transaction with statements prepared once for the connection's
 * life. Prisma stays the client for the model and every other query; these few writes run
 * for every event of every run, and through Prisma each cost a query compilation and a new
 * prepared statement. One implementation per provider (hot-writer-sqlite.ts,
 * hot-writer-postgres.ts), both writing the rows Prisma reads back.
 */
import type { LogLevel } from '../model/log';
import type { DatabaseConfig } from './config';

/** An execution's first row: what its origin fixes for its whole life. */
export interface NewExecutionRow {
  id: string;
  notebookId: string;
  namespace: string;
  flowId: string;
  state: string;
  mode: string;
  targetTaskId: string | null;
  labels: string;
  inputs: string;
  flowYaml: string;
  cellHashes: string;
  triggerId: string | null;
  /** ISO-8601 instant (as every date below). */
  triggerDate: string | null;
  startDate: string;
}

/** What an execution event changes; the last one of a batch is written. */
export interface ExecutionStateFields {
  state: string;
  labels: string;
  inputs: string;
  startDate: string;
  endDate: string | null;
  error: string | null;
}

/** An execution's new lastSeq, with its new state when the batch changed it. */
export interface ExecutionStateRow {
  id: string;
  lastSeq: number;
  state: ExecutionStateFields | null;
}

/** A task run's latest state; inserted when new, else every field but its identity and ord replaced. */
export interface TaskRunStateRow {
  id: string;
  executionId: string;
  taskId: string;
  ord: number;
  sourceHash: string | null;
  contextHash: string | null;
  state: string;
  attempt: number;
  parentTaskRunId: string | null;
  value: string | null;
  iteration: number | null;
  startDate: string | null;
  endDate: string | null;
  outputs: string | null;
  details: string | null;
  error: string | null;
}

/** Shaped as the line's wire form, so one object serves the row and the broadcast. */
export interface LogLineRow {
  executionId: string;
  seq: number;
  /** Absent for execution-level lines, as `taskId`. */
  taskRunId?: string;
  taskId?: string;
  level: LogLevel;
  message: string;
  at: string;
}

/**
 * One transaction's worth, written in this order: new executions (the rows the others
 * point at), task runs, log lines, then execution states with their lastSeq. A task run
 * or an execution appears at most once (its latest state).
 */
export interface HotBatch {
  created: NewExecutionRow[];
  taskRuns: TaskRunStateRow[];
  logs: LogLineRow[];
  executions: ExecutionStateRow[];
}

/** What the store must know of an execution already stored, to go on writing it. */
export interface StoredExecution {
  notebookId: string;
  namespace: string;
  flowId: string;
  mode: string;
  targetTaskId: string | null;
  triggerId: string | null;
  triggerDate: string | null;
  cellHashes: string;
  lastSeq: number;
  /** Task-run id → its ord. */
  taskRuns: Map<string, number>;
}

export interface HotWriter {
  /** Writes the batch in one transaction: all of it, or nothing and a thrown error. */
  write(batch: HotBatch): Promise<void>;
  /**
   * A page of an execution's log, lines after `afterSeq` in seq order (what the log route and
   * a page catching up read while the run writes); undefined when there is no such execution.
   */
  logPage(executionId: string, afterSeq: number, limit: number): Promise<LogLineRow[] | undefined>;
  /** The stored facts of an execution, or undefined when there is no such row. */
  load(executionId: string): Promise<StoredExecution | undefined>;
  close(): Promise<void>;
}

export function emptyBatch(): HotBatch {
  return { created: [], taskRuns: [], logs: [], executions: [] };
}

export function batchSize(b: HotBatch): number {
  return b.created.length + b.taskRuns.length + b.logs.length + b.executions.length;
}

/** Opens the hot writer beside the Prisma client, on the same database (migrated already). */
export async function openHotWriter(config: DatabaseConfig): Promise<HotWriter> {
  if (config.kind === 'sqlite') {
    const { SqliteThreadWriter } = await import('./hot-writer-sqlite-thread');
    return new SqliteThreadWriter(config.file);
  }
  const { PostgresHotWriter } = await import('./hot-writer-postgres');
  return PostgresHotWriter.connect(config.url);
}
