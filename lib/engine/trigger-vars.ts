/** `trigger.*` variables of a Schedule firing at a given date (the scheduled time, not the wall clock). */
import { nextFire, previousFire, scheduleSpecs } from '../flow/schedule-calc';

/** Kestra serialises trigger dates as ISO strings through Jackson: no milliseconds when they are zero. */
function iso(d: Date | null): string | undefined {
  return d ? d.toISOString().replace('.000Z', 'Z') : undefined;
}

export function triggerVariables(date: string, triggers: Record<string, unknown>[], triggerId?: string): Record<string, unknown> {
  const when = new Date(date);
  if (Number.isNaN(when.getTime())) throw new Error(`trigger date "${date}" is not an ISO-8601 date-time`);
  const schedule = scheduleSpecs(triggers).find((t) => triggerId === undefined || t.id === triggerId);
  const vars: Record<string, unknown> = { date: iso(when) };
  if (schedule) {
    vars.next = iso(nextFire(schedule, when));
    vars.previous = iso(previousFire(schedule, when));
  }
  return vars;
}
