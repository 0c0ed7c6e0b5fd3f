/**
 * Schedule triggers of saved notebooks, for lib/scheduler: which flows have schedules,
 * and when each trigger was last evaluated (kept in the database, so slots missed while
 * the server was down are recovered at the next start).
 */
import { hasErrors, parseFlow, walkTasks } from '../flow';
import type { Db } from '../db/client';
import type { ScheduleSource, ScheduledFlow } from '../scheduler/scheduler';
import { SCHEDULE_TYPES } from '../scheduler/schedule-calc';
import type { EventPersister } from '../realtime/persistence';
import { contextHash, sourceHash } from './hashes';

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
      const marks = await this.db.setting.findMany({ where: { key: { startsWith: `${PREFIX}${row.id}:` } } });
      const lastEvaluated: Record<string, Date | undefined> = {};
      for (const m of marks) lastEvaluated[m.key.slice(`${PREFIX}${row.id}:`.length)] = new Date(JSON.parse(m.value) as string);
      out.push({ key: row.id, flow: parsed.flow, lastEvaluated });
      this.listed.set(row.id, row.yaml);
    }
    return out;
  }

  async markEvaluated(key: string, triggerId: string, at: Date): Promise<void> {
    const value = JSON.stringify(at.toISOString());
    await this.db.setting.upsert({ where: { key: settingKey(key, triggerId) }, create: { key: settingKey(key, triggerId), value }, update: { value } });
  }

  /**
   * Ties the execution to its notebook. The engine has already emitted its first event,
   * but the persister looks for this only after a database round trip for that event,
   * and this runs synchronously right after engine.start returns, so it is in time.
   */
  onFired(key: string, _triggerId: string, _slot: Date, executionId: string): void {
    const yaml = this.listed.get(key);
    if (yaml === undefined) return;
    const flow = parseFlow(yaml).flow;
    this.persister.register(executionId, {
      notebookId: key,
      mode: 'all',
      flowYaml: yaml,
      cellHashes: flow ? Object.fromEntries(walkTasks(flow).map(({ task }) => [task.id, { source: sourceHash(task), context: contextHash(flow, task) }])) : {},
    });
  }
}
