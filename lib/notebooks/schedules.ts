/**
 * Schedule triggers of saved notebooks, for lib/scheduler: which flows have schedules,
 * and when each trigger was last evaluated (kept in the database, so slots missed while
 * the server was down are recovered at the next start).
 */
import { hasErrors } from '../flow';
import { parseFlow } from '../tasks/catalog';
import type { Db } from '../db/client';
import type { ScheduleSource, ScheduledFlow } from '../scheduler/scheduler';
import { SCHEDULE_TYPES } from '../flow/schedule-calc';
import type { ExecutionOrigin } from '../engine';
import { notebookOrigin } from './origin';

const PREFIX = 'schedule:';
const settingKey = (notebookId: string, triggerId: string) => `${PREFIX}${notebookId}:${triggerId}`;

export class NotebookScheduleSource implements ScheduleSource {
  /** Each scheduled notebook's origin, by notebook id, kept while its YAML stays the same (list() runs every tick). */
  private readonly origins = new Map<string, { yaml: string; origin: ExecutionOrigin }>();

  constructor(private readonly db: Db) {}

  private originOf(notebookId: string, yaml: string, flow: ScheduledFlow['flow']): ExecutionOrigin {
    const known = this.origins.get(notebookId);
    if (known?.yaml === yaml) return known.origin;
    const origin = notebookOrigin({ notebookId, yaml, flow });
    this.origins.set(notebookId, { yaml, origin });
    return origin;
  }

  async list(): Promise<ScheduledFlow[]> {
    const rows = await this.db.notebook.findMany({ where: { deletedAt: null }, select: { id: true, yaml: true } });
    const out: ScheduledFlow[] = [];
    for (const id of this.origins.keys()) if (!rows.some((r) => r.id === id)) this.origins.delete(id);
    for (const row of rows) {
      // Cheap filter before parsing: most notebooks have no schedule.
      if (![...SCHEDULE_TYPES].some((t) => row.yaml.includes(t))) continue;
      const parsed = parseFlow(row.yaml);
      if (!parsed.flow || hasErrors(parsed.issues)) continue;
      out.push({ key: row.id, flow: parsed.flow, lastEvaluated: await lastEvaluatedTimes(this.db, row.id), origin: this.originOf(row.id, row.yaml, parsed.flow) });
    }
    return out;
  }

  async markEvaluated(key: string, triggerId: string, at: Date): Promise<void> {
    const value = JSON.stringify(at.toISOString());
    await this.db.setting.upsert({ where: { key: settingKey(key, triggerId) }, create: { key: settingKey(key, triggerId), value }, update: { value } });
  }
}

/** When each Schedule trigger of a notebook was last evaluated, by trigger id. */
export async function lastEvaluatedTimes(db: Db, notebookId: string): Promise<Record<string, Date | undefined>> {
  const prefix = `${PREFIX}${notebookId}:`;
  const marks = await db.setting.findMany({ where: { key: { startsWith: prefix } } });
  const out: Record<string, Date | undefined> = {};
  for (const m of marks) out[m.key.slice(prefix.length)] = new Date(JSON.parse(m.value) as string);
  return out;
}
