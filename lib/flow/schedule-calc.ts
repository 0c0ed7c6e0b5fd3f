/**
 * Pure cron arithmetic for Schedule triggers: when a trigger fires next, which slots a
 * backfill replays, and which slots were missed while Flowbook was down. No clocks, no I/O:
 * every function takes the instants it needs.
 */
import { Cron } from 'croner';
import { isValidTimeZone } from './validate-triggers';

export const SCHEDULE_TYPES: ReadonlySet<string> = new Set([
  'io.kestra.plugin.core.trigger.Schedule',
  'io.kestra.core.models.triggers.types.Schedule',
]);

export type RecoverMissedSchedules = 'ALL' | 'LAST' | 'NONE';

export interface ScheduleSpec {
  id: string;
  cron: string;
  timezone: string;
  withSeconds: boolean;
  disabled: boolean;
  inputs: Record<string, unknown>;
  recoverMissedSchedules: RecoverMissedSchedules;
}

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/** Reads the Schedule triggers of a flow; other trigger types are not ours to fire. */
export function scheduleSpecs(triggers: readonly Record<string, unknown>[]): ScheduleSpec[] {
  return triggers
    .filter((t) => typeof t.type === 'string' && SCHEDULE_TYPES.has(t.type))
    .map((t) => {
      const recover = String(t.recoverMissedSchedules ?? 'ALL').toUpperCase();
      return {
        id: String(t.id),
        cron: String(t.cron),
        timezone: typeof t.timezone === 'string' ? t.timezone : 'UTC',
        withSeconds: t.withSeconds === true,
        disabled: t.disabled === true,
        inputs: t.inputs && typeof t.inputs === 'object' ? (t.inputs as Record<string, unknown>) : {},
        recoverMissedSchedules: recover === 'LAST' || recover === 'NONE' ? recover : 'ALL',
      };
    });
}

function cronOf(spec: ScheduleSpec): Cron {
  // croner checks the zone only when it first computes a slot, and throws a TypeError there.
  if (!isValidTimeZone(spec.timezone)) throw new ScheduleError(`trigger ${spec.id}: unknown time zone ${JSON.stringify(spec.timezone)}`);
  // Kestra's cron has 5 fields unless withSeconds; croner reads 6 as seconds-first.
  // Trimmed as the validator reads it, so a cron it accepts (" @daily ") never fails here.
  const cron = spec.cron.trim();
  const pattern = spec.withSeconds || cron.startsWith('@') ? cron : `0 ${cron}`;
  try {
    return new Cron(pattern, { timezone: spec.timezone, paused: true });
  } catch (err) {
    throw new ScheduleError(`trigger ${spec.id}: invalid cron "${spec.cron}": ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The first slot strictly after `after`. */
export function nextFire(spec: ScheduleSpec, after: Date): Date | null {
  return cronOf(spec).nextRun(after);
}

/** Every slot in [start, end], in order — what a backfill replays, including slots that already ran. */
export function slotsBetween(spec: ScheduleSpec, start: Date, end: Date, max = 10_000): Date[] {
  if (end < start) throw new ScheduleError(`backfill end ${end.toISOString()} is before its start ${start.toISOString()}`);
  const cron = cronOf(spec);
  const out: Date[] = [];
  // Kestra evaluates nextExecution(currentDate - 1s), so a slot exactly at `start` counts.
  let cursor: Date | null = cron.nextRun(new Date(start.getTime() - 1000));
  while (cursor && cursor <= end) {
    out.push(cursor);
    if (out.length >= max) throw new ScheduleError(`the window holds more than ${max} slots; narrow it`);
    cursor = cron.nextRun(cursor);
  }
  return out;
}

/** Slots missed between the last evaluation and now, per recoverMissedSchedules. */
export function missedSlots(spec: ScheduleSpec, lastEvaluated: Date, now: Date): Date[] {
  // The window is (lastEvaluated, now], however short: schedulers sharing a database split
  // time into windows under a second, and a slot must fall in exactly one of them.
  const first = nextFire(spec, lastEvaluated);
  if (!first || first > now) return [];
  const all = slotsBetween(spec, first, now);
  switch (spec.recoverMissedSchedules) {
    case 'ALL':
      return all;
    case 'LAST':
      return all.slice(-1);
    case 'NONE':
      return [];
  }
}

/** The last slot strictly before `before`. */
export function previousFire(spec: ScheduleSpec, before: Date): Date | null {
  return cronOf(spec).previousRuns(1, before)[0] ?? null;
}
