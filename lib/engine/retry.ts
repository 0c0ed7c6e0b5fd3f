/**
 * Kestra's task `retry` property: constant, exponential and random delays, bounded by
 * maxAttempts (total attempts including the first) and maxDuration.
 */
import { parseDurationMs } from '../model/duration';

export type RetryBehavior = 'RETRY_FAILED_TASK' | 'CREATE_NEW_EXECUTION';

export interface RetryPolicy {
  maxAttempts: number;
  maxDurationMs?: number;
  /** A task that succeeds only after a retry ends WARNING (Kestra's `warningOnRetry`, default false). */
  warningOnRetry: boolean;
  /** Retry the task in this execution (default), or end it RETRIED and start a new execution. */
  behavior: RetryBehavior;
  /** Delay before attempt number `attempt + 1`, given `attempt` attempts so far. */
  delayMs(attempt: number): number;
}

export class RetryConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryConfigError';
  }
}

export function parseRetry(raw: unknown, taskId: string): RetryPolicy | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new RetryConfigError(`task ${taskId}: retry must be a map`);
  const r = raw as Record<string, unknown>;
  const where = (p: string) => `task ${taskId}: retry.${p}`;
  // `maxAttempt` is the name before Kestra 0.24, still read as an alias (migration guide v0.24.0, retries-maxattempts).
  const rawMax = r.maxAttempts ?? r.maxAttempt;
  const maxAttempts = rawMax === undefined ? (r.maxDuration === undefined ? 1 : Number.MAX_SAFE_INTEGER) : Number(rawMax);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RetryConfigError(`${where('maxAttempts')} must be a positive integer`);
  const maxDurationMs = r.maxDuration === undefined ? undefined : parseDurationMs(r.maxDuration, where('maxDuration'));
  if (r.warningOnRetry !== undefined && typeof r.warningOnRetry !== 'boolean') throw new RetryConfigError(`${where('warningOnRetry')} must be true or false`);
  const behavior = String(r.behavior ?? 'RETRY_FAILED_TASK');
  if (behavior !== 'RETRY_FAILED_TASK' && behavior !== 'CREATE_NEW_EXECUTION') {
    throw new RetryConfigError(`${where('behavior')} "${behavior}" is not one of RETRY_FAILED_TASK, CREATE_NEW_EXECUTION`);
  }
  const common = { maxAttempts, maxDurationMs, warningOnRetry: r.warningOnRetry === true, behavior } as const;
  const type = String(r.type ?? 'constant').toLowerCase();
  switch (type) {
    case 'constant': {
      const interval = parseDurationMs(r.interval ?? 'PT1S', where('interval'));
      return { ...common, delayMs: () => interval };
    }
    case 'exponential': {
      const interval = parseDurationMs(r.interval ?? 'PT1S', where('interval'));
      const maxInterval = r.maxInterval === undefined ? Infinity : parseDurationMs(r.maxInterval, where('maxInterval'));
      const delayFactor = r.delayFactor === undefined ? 2 : Number(r.delayFactor);
      return { ...common, delayMs: (attempt) => Math.min(maxInterval, interval * delayFactor ** (attempt - 1)) };
    }
    case 'random': {
      const min = parseDurationMs(r.minInterval ?? 'PT0S', where('minInterval'));
      const max = parseDurationMs(r.maxInterval ?? 'PT1S', where('maxInterval'));
      return { ...common, delayMs: () => min + Math.random() * (max - min) };
    }
    default:
      throw new RetryConfigError(`${where('type')} "${type}" is not one of constant, exponential, random`);
  }
}
