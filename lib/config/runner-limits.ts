/**
 * What one task may do to the server and the machine: how much of its output is kept, how
 * long it gets to stop, and what its container may use. Read from FLOWBOOK_* environment
 * variables (README, "Settings"); a value that is not a valid size or number is an error,
 * because a limit silently ignored is no limit.
 */
import path from 'node:path';
import { parseByteSize } from './byte-size';
import { ConfigError } from './config';

export interface RunnerLimits {
  /** A longer output line is cut, with a marker saying how much was dropped. */
  logLineMaxBytes: number;
  /**
   * A task's output is kept up to this size, then cut with a marker; the rest is read and
   * counted but not kept. Each line counts its bytes plus LINE_OVERHEAD_BYTES, so a flood of
   * empty lines is bounded too.
   */
  taskLogMaxBytes: number;
  /** Between SIGTERM (or `docker stop`) and SIGKILL when a task is cancelled, times out or leaves processes behind. */
  killGraceMs: number;
  /** Memory limit of a task's container, in bytes, unless its `memory.memory` option says otherwise. */
  containerMemoryBytes: number;
  /** Most processes and threads a task's container may have at once. */
  containerPidsLimit: number;
  /** The user containers run as when the task sets none; undefined: the image's own user. */
  containerUser?: string;
}

/** What a stored log line costs besides its text (ids, level, time): counted against the task's log size. */
export const LINE_OVERHEAD_BYTES = 100;

export const DEFAULT_RUNNER_LIMITS: RunnerLimits = {
  logLineMaxBytes: 1024 ** 2,
  taskLogMaxBytes: 100 * 1024 ** 2,
  killGraceMs: 3_000,
  containerMemoryBytes: 2 * 1024 ** 3,
  containerPidsLimit: 1024,
};

function size(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const bytes = parseByteSize(raw);
  if (bytes === undefined || bytes < min) throw new ConfigError(`${name} must be a size of at least ${min} bytes (e.g. 1MiB, 512m, 1048576), got "${raw}"`);
  return bytes;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new ConfigError(`${name} must be a number of at least ${min}, got "${raw}"`);
  return n;
}

/** The limits in force: built-in defaults, overridden by the environment. */
export function runnerLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RunnerLimits {
  const user = env.FLOWBOOK_CONTAINER_USER?.trim();
  return {
    logLineMaxBytes: size(env, 'FLOWBOOK_LOG_LINE_MAX_BYTES', DEFAULT_RUNNER_LIMITS.logLineMaxBytes, 1024),
    taskLogMaxBytes: size(env, 'FLOWBOOK_TASK_LOG_MAX_BYTES', DEFAULT_RUNNER_LIMITS.taskLogMaxBytes, 64 * 1024),
    killGraceMs: Math.round(count(env, 'FLOWBOOK_KILL_GRACE_SECONDS', DEFAULT_RUNNER_LIMITS.killGraceMs / 1000, 0) * 1000),
    containerMemoryBytes: size(env, 'FLOWBOOK_CONTAINER_MEMORY', DEFAULT_RUNNER_LIMITS.containerMemoryBytes, 6 * 1024 ** 2),
    containerPidsLimit: Math.floor(count(env, 'FLOWBOOK_CONTAINER_PIDS_LIMIT', DEFAULT_RUNNER_LIMITS.containerPidsLimit, 16)),
    ...(user ? { containerUser: user } : {}),
  };
}

/**
 * Where runners record each task's processes and containers while it runs, so the start after
 * a crash can find and end them: one folder in the data dir, shared by the engine and recovery.
 */
export function runsDirOf(dataDir: string): string {
  return path.join(dataDir, 'runs');
}
