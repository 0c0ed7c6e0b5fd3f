/**
 * Kestra's execution, task-run and log JSON as Flowbook's engine events, so a run on a Kestra
 * server is stored, streamed and shown exactly as a local one. Every remote task run carries
 * `details.remote` and a link to the execution in Kestra's UI.
 */
import type { ExecutionOrigin, ExecutionSnapshot, LogLine, TaskRun } from '../engine';
import { LOG_LEVELS, type LogLevel } from '../model/log';
import { STATES, isTerminal, type State } from '../model/states';
import type { KestraExecution, KestraLogEntry, KestraState, KestraTaskRun } from './api-types';

const KNOWN = new Set<string>(STATES);

/** Kestra's State.Type in Flowbook's states; the few Flowbook has no twin for map to the nearest. */
export function flowbookState(kestra: string): State {
  if (KNOWN.has(kestra)) return kestra as State;
  switch (kestra) {
    case 'SUBMITTED':
      return 'CREATED';
    case 'RESUBMITTED':
      return 'RUNNING';
    case 'BREAKPOINT':
      return 'PAUSED';
    default:
      // A state added after this was written: still under way as far as Flowbook can tell.
      return 'RUNNING';
  }
}

function startOf(state: KestraState): string | undefined {
  return state.startDate ?? state.histories?.[0]?.date;
}

function endOf(state: KestraState): string | undefined {
  if (!isTerminal(flowbookState(state.current))) return undefined;
  return state.endDate ?? state.histories?.[state.histories.length - 1]?.date;
}

export interface RemoteLink {
  /** The saved server's name, shown beside the run. */
  server: string;
  /** The execution in Kestra's UI. */
  url: string;
}

export function taskRunOf(tr: KestraTaskRun, executionId: string, link: RemoteLink, error?: string): TaskRun {
  const state = flowbookState(tr.state.current);
  const start = startOf(tr.state);
  const end = endOf(tr.state);
  return {
    id: tr.id,
    executionId,
    taskId: tr.taskId,
    ...(tr.parentTaskRunId ? { parentTaskRunId: tr.parentTaskRunId } : {}),
    ...(tr.value !== undefined && tr.value !== null ? { value: tr.value } : {}),
    ...(typeof tr.iteration === 'number' ? { iteration: tr.iteration } : {}),
    state,
    attempt: Math.max(1, tr.attempts?.length ?? 1),
    ...(start ? { startDate: start } : {}),
    ...(end ? { endDate: end } : {}),
    ...(tr.outputs ? { outputs: tr.outputs } : {}),
    details: { runner: 'remote · Kestra', remote: 'kestra', kestraServer: link.server, kestraUrl: link.url },
    ...(state === 'FAILED' && error ? { error } : {}),
  };
}

export function labelsOf(execution: KestraExecution): Record<string, string> {
  return Object.fromEntries((execution.labels ?? []).filter((l) => typeof l.key === 'string').map((l) => [l.key, String(l.value)]));
}

export function executionOf(execution: KestraExecution, origin: ExecutionOrigin, startedAt: string, error?: string): ExecutionSnapshot {
  const state = flowbookState(execution.state.current);
  const end = endOf(execution.state);
  return {
    id: execution.id,
    origin,
    namespace: execution.namespace,
    flowId: execution.flowId,
    state,
    labels: labelsOf(execution),
    inputs: execution.inputs ?? {},
    startDate: startOf(execution.state) ?? startedAt,
    ...(end ? { endDate: end } : {}),
    ...(error && state === 'FAILED' ? { error } : {}),
  };
}

function levelOf(level: string | undefined): LogLevel {
  const upper = (level ?? 'INFO').toUpperCase();
  if (upper === 'WARNING') return 'WARN';
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : 'INFO';
}

export function logLineOf(entry: KestraLogEntry, executionId: string): LogLine {
  return {
    executionId,
    ...(entry.taskRunId ? { taskRunId: entry.taskRunId } : {}),
    ...(entry.taskId ? { taskId: entry.taskId } : {}),
    level: levelOf(entry.level),
    message: entry.message ?? '',
    at: entry.timestamp ?? new Date().toISOString(),
  };
}

/** What tells two log entries apart: the same line may come from the stream and from the list. */
export function logKey(entry: KestraLogEntry): string {
  return `${entry.taskRunId ?? ''}\u0000${entry.timestamp ?? ''}\u0000${entry.level ?? ''}\u0000${entry.message ?? ''}`;
}
