/** Flow `triggers`: ids, and Schedule cron expressions and time zones. */
import { Cron } from 'croner';
import type { IssueList } from './issues';
import { TASK_ID } from './validate-tasks';
import { isRecord } from './walk';

export const SCHEDULE_TYPES: readonly string[] = [
  'io.kestra.plugin.core.trigger.Schedule',
  'io.kestra.core.models.triggers.types.Schedule',
];

const NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** Why a cron expression is invalid for a Schedule, or undefined when it is valid. */
export function cronProblem(cron: string, withSeconds: boolean): string | undefined {
  const expression = cron.trim();
  if (NICKNAMES.has(expression.toLowerCase())) return undefined;
  if (expression.startsWith('@')) return `unknown cron nickname ${JSON.stringify(expression)}; use one of ${[...NICKNAMES].join(', ')}`;
  const fields = expression.split(/\s+/).length;
  const want = withSeconds ? 6 : 5;
  if (fields !== want) {
    return `cron ${JSON.stringify(cron)} has ${fields} fields; a Schedule needs ${want}${withSeconds ? ' (withSeconds: true)' : ' (or 6 with withSeconds: true)'}`;
  }
  try {
    new Cron(expression, { paused: true, mode: withSeconds ? '6-part' : '5-part' });
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, '') : String(error);
    return `invalid cron ${JSON.stringify(cron)}: ${reason}`;
  }
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function readTriggers(value: unknown, issues: IssueList): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.error(['triggers'], '`triggers` must be a list');
    return [];
  }
  const triggers: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  value.forEach((trigger, i) => {
    const path = ['triggers', i];
    if (!isRecord(trigger)) {
      issues.error(path, 'a trigger must be a map with `id` and `type`');
      return;
    }
    triggers.push(trigger);
    if (typeof trigger.id !== 'string') issues.error(path, 'trigger is missing a string `id`');
    else {
      if (!TASK_ID.test(trigger.id)) issues.error([...path, 'id'], `invalid trigger id ${JSON.stringify(trigger.id)}`);
      if (seen.has(trigger.id)) issues.error([...path, 'id'], `duplicate trigger id ${JSON.stringify(trigger.id)}`);
      seen.add(trigger.id);
    }
    if (typeof trigger.type !== 'string') {
      issues.error(path, 'trigger is missing a string `type`');
      return;
    }
    if (SCHEDULE_TYPES.includes(trigger.type)) checkSchedule(trigger, path, issues);
  });
  return triggers;
}

function checkSchedule(trigger: Record<string, unknown>, path: (string | number)[], issues: IssueList): void {
  const withSeconds = trigger.withSeconds === true;
  if (trigger.withSeconds !== undefined && typeof trigger.withSeconds !== 'boolean') {
    issues.error([...path, 'withSeconds'], '`withSeconds` must be true or false');
  }
  if (typeof trigger.cron !== 'string') {
    issues.error(trigger.cron === undefined ? path : [...path, 'cron'], 'Schedule trigger needs a `cron` string');
  } else {
    const problem = cronProblem(trigger.cron, withSeconds);
    if (problem) issues.error([...path, 'cron'], problem);
  }
  if (trigger.timezone !== undefined && (typeof trigger.timezone !== 'string' || !isValidTimeZone(trigger.timezone))) {
    issues.error([...path, 'timezone'], `unknown time zone ${JSON.stringify(trigger.timezone)}; use an IANA name like Europe/Paris or UTC`);
  }
  if (trigger.inputs !== undefined && !isRecord(trigger.inputs)) issues.error([...path, 'inputs'], '`inputs` must be a map');
}
