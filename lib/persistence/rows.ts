/** Database rows to the wire types of lib/api/types. */
import { maskSealedInputs } from '../model/sealed';
import type { Execution, LogLine, TaskRun as TaskRunRow } from '../db/client';
import type { ExecutionDto, LogDto, LogLevel, RunModeKind, TaskRun } from '../contract';
import type { State } from '../model/states';

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** JSON text for the database; bigints (DuckDB, PostgreSQL int8) become strings. */
export function toJson(value: unknown): string {
  try {
    // Without a replacer first: JSON.stringify takes its fast path, and only a bigint throws.
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/** An execution row without what its wire form leaves out (the YAML, the cell hashes). */
export type ExecutionFields = Omit<Execution, 'flowYaml' | 'cellHashes' | 'createdAt'>;

export function executionDto(row: ExecutionFields): ExecutionDto {
  return {
    id: row.id,
    notebookId: row.notebookId,
    namespace: row.namespace,
    flowId: row.flowId,
    state: row.state as State,
    mode: row.mode as RunModeKind,
    targetTaskId: row.targetTaskId ?? undefined,
    labels: parseJson(row.labels, {}),
    // SECRET inputs are stored sealed and never shown.
    inputs: maskSealedInputs(parseJson(row.inputs, {})),
    startDate: row.startDate.toISOString(),
    endDate: row.endDate?.toISOString(),
    durationMs: row.endDate ? row.endDate.getTime() - row.startDate.getTime() : undefined,
    error: row.error ?? undefined,
    triggerId: row.triggerId ?? undefined,
    triggerDate: row.triggerDate?.toISOString(),
  };
}

export function taskRunDto(row: TaskRunRow): TaskRun {
  return {
    id: row.id,
    executionId: row.executionId,
    taskId: row.taskId,
    parentTaskRunId: row.parentTaskRunId ?? undefined,
    value: row.value ?? undefined,
    iteration: row.iteration ?? undefined,
    state: row.state as State,
    attempt: row.attempt,
    startDate: row.startDate?.toISOString(),
    endDate: row.endDate?.toISOString(),
    outputs: parseJson<Record<string, unknown> | undefined>(row.outputs, undefined),
    details: parseJson<Record<string, string> | undefined>(row.details, undefined),
    error: row.error ?? undefined,
  };
}

export function logDto(row: LogLine): LogDto {
  return {
    seq: row.seq,
    executionId: row.executionId,
    taskRunId: row.taskRunId ?? undefined,
    taskId: row.taskId ?? undefined,
    level: row.level as LogLevel,
    message: row.message,
    at: row.at.toISOString(),
  };
}
