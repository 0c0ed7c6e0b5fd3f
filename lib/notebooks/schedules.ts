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
import type { FlowSpec } from '../flow';
import { notebookOrigin } from './origin';

const PREFIX = 'schedule:';
const settingKey = (notebookId: string, triggerId: string) => `${PREFIX}${notebookId}:${triggerId}`;

/** A scheduled notebook as read from its YAML; undefined flow when the YAML has errors. */
interface Read {
  yaml: string;
  flow?: FlowSpec;
  origin?: ExecutionOrigin;
}

export class NotebookScheduleSource implements ScheduleSource {
  /** Each scheduled notebook read once, by notebook id, kept while its YAML stays the same (list() runs every tick). */
  private readonly read = new Map<string, Read>();

  constructor(private readonly db: Db) {}

  private readOf(notebookId: string, yaml: string): Read {
    const known = this.read.get(notebookId);
    if (known?.yaml === yaml) return known;
    const parsed = parseFlow(yaml);
    const flow = parsed.flow && !hasErrors(parsed.issues) ? parsed.flow : undefined;
    const read: Read = { yaml, flow, origin: flow && notebookOrigin({ notebookId, yaml, flow }) };
    this.read.set(notebookId, read);
    return read;
  }

  async list(): Promise<ScheduledFlow[]> {
    const rows = await this.db.notebook.findMany({ where: { deletedAt: null }, select: { id: true, yaml: true } });
    const out: ScheduledFlow[] = [];
    for (const id of this.read.keys()) if (!rows.some((r) => r.id === id)) this.read.delete(id);
    for (const row of rows) {
      // Cheap filter before parsing: most notebooks have no schedule.
      if (![...SCHEDULE_TYPES].some((t) => row.yaml.includes(t))) continue;
      const { flow, origin } = this.readOf(row.id, row.yaml);
      if (!flow) continue;
      out.push({ key: row.id, flow, lastEvaluated: await lastEvaluatedTimes(this.db, row.id), origin });
    }
    return out;
  }

  async claim(key: string, triggerId: string, from: Date | undefined, to: Date): Promise<boolean> {
    const where = settingKey(key, triggerId);
    const value = JSON.stringify(to.toISOString());
    if (from) {
      // The row still holding what this scheduler read is the lock: one UPDATE matches, the other none.
      const { count } = await this.db.setting.updateMany({ where: { key: where, value: JSON.stringify(from.toISOString()) }, data: { value } });
      return count === 1;
    }
    try {
      await this.db.setting.create({ data: { key: where, value } });
      return true;
    } catch (err) {
      // Another scheduler saw the trigger first and created its mark.
      // P2002 is Prisma's unique-constraint error, on either provider's client.
      if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'P2002') return false;
      throw err;
    }
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
