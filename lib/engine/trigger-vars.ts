/** `trigger.*` variables of a Schedule firing at a given date (scheduled time, not wall clock). */
import { Cron } from 'croner';

const SCHEDULE_TYPES = new Set(['io.kestra.plugin.core.trigger.Schedule', 'io.kestra.core.models.triggers.types.Schedule']);

export function isScheduleTrigger(trigger: Record<string, unknown>): boolean {
  return typeof trigger.type === 'string' && SCHEDULE_TYPES.has(trigger.type);
}

/** Croner wants 6 fields for seconds; Kestra's cron has 5 unless withSeconds. */
export function cronFor(trigger: Record<string, unknown>): Cron {
  const expr = String(trigger.cron);
  const timezone = typeof trigger.timezone === 'string' ? trigger.timezone : 'UTC';
  const normalized = trigger.withSeconds === true || expr.startsWith('@') ? expr : `0 ${expr}`;
  return new Cron(normalized, { timezone, paused: true, legacyMode: true });
}

function iso(d: Date | null): string | undefined {
  return d ? d.toISOString().replace('.000Z', 'Z') : undefined;
}

export function triggerVariables(date: string, triggers: Record<string, unknown>[], triggerId?: string): Record<string, unknown> {
  const when = new Date(date);
  if (Number.isNaN(when.getTime())) throw new Error(`trigger date "${date}" is not an ISO-8601 date-time`);
  const schedule = triggers.find((t) => isScheduleTrigger(t) && (triggerId === undefined || t.id === triggerId));
  const vars: Record<string, unknown> = { date: iso(when) };
  if (schedule && typeof schedule.cron === 'string') {
    const cron = cronFor(schedule);
    vars.next = iso(cron.nextRun(when));
    vars.previous = iso(cron.previousRuns(1, when)[0] ?? null);
  }
  return vars;
}
