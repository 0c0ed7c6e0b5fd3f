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
import type { EventPersister } from '../persistence/persister';
import { registerNotebookExecution } from './execution-meta';

const PREFIX = 'schedule:';
const settingKey = (notebookId: string, triggerId: string) => `${PREFIX}${notebookId}:${triggerId}`;

export class NotebookScheduleSource implements ScheduleSource {
  /** The YAML each scheduled notebook had at the last list(), by notebook id. */
  private readonly listed = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly persister: EventPersister,
  ) {}

  async list(): Promise<ScheduledFlow[]> {
    const rows = await this.db.notebook.findMany({ where: { deletedAt: null }, select: { id: true, yaml: true } });
    const out: ScheduledFlow[] = [];
    this.listed.clear();
    for (const row of rows) {
      // Cheap filter before parsing: most notebooks have no schedule.
      if (![...SCHEDULE_TYPES].some((t) => row.yaml.includes(t))) continue;
      const parsed = parseFlow(row.yaml);
      if (!parsed.flow || hasErrors(parsed.issues)) continue;
      out.push({ key: row.id, flow: parsed.flow, lastEvaluated: await lastEvaluatedTimes(this.db, row.id) });
      this.listed.set(row.id, row.yaml);
    }
    return out;
  }

  async markEvaluated(key: string, triggerId: string, at: Date): Promise<void> {
    const value = JSON.stringify(at.toISOString());
    await this.db.setting.upsert({ where: { key: settingKey(key, triggerId) }, create: { key: settingKey(key, triggerId), value }, update: { value } });
  }

  /** Ties the execution to its notebook (this runs synchronously right after engine.start returns). */
  onFired(key: string, _triggerId: string, _slot: Date, executionId: string): void {
    const yaml = this.listed.get(key);
    if (yaml === undefined) return;
    registerNotebookExecution(this.persister, executionId, { notebookId: key, yaml, flow: parseFlow(yaml).flow });
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
