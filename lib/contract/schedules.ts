/**
 * JSON shapes of a notebook's schedules (Schedule triggers) and their backfills, shared by
 * the server and the browser.
 */

export interface ScheduleDto {
  /** The trigger id. */
  id: string;
  type: string;
  cron: string;
  /** The cron in words, e.g. "At 09:00 AM, on day 1 of the month"; the cron itself when it cannot be read. */
  description: string;
  timezone: string;
  withSeconds: boolean;
  /** Kestra's own switch: a disabled trigger neither fires nor backfills. */
  disabled: boolean;
  /** Inputs the trigger passes to each execution. */
  inputs: Record<string, unknown>;
  recoverMissedSchedules: 'ALL' | 'LAST' | 'NONE';
  /** The next slot (ISO); absent when nothing will fire (trigger or flow disabled, cron unreadable). */
  nextFire?: string;
  /** The latest slot before now (ISO), what "Run as trigger…" offers first; absent when the cron cannot be read. */
  previousFire?: string;
  /** When the scheduler last looked at this trigger (ISO); absent before its first look. */
  lastEvaluated?: string;
  /** Why the trigger cannot fire, when it cannot (e.g. an invalid cron). */
  problem?: string;
}

export interface BackfillRequest {
  /** ISO date-times with a zone (Z or an offset); the window [start, end] is inclusive. */
  start: string;
  end: string;
  /** Overlay the trigger's inputs. */
  inputs?: Record<string, unknown>;
  labels?: Record<string, string>;
}

export interface BackfillResponse {
  /** One execution per slot, in slot order. */
  executions: { executionId: string; triggerDate: string }[];
}

export interface SetScheduleRequest {
  disabled: boolean;
}
