/**
 * The schedules of one notebook, for the notebook page: its Schedule triggers with their
 * cron in words and next fire time, backfills over a window (one execution per slot, stored
 * under the notebook) and the on/off switch, which is the trigger's own `disabled` in the YAML.
 */
import cronstrue from 'cronstrue';
import { exportFlow, hasErrors, type FlowSpec } from '../flow';
import { parseFlow } from '../tasks/catalog';
import { setTriggerProperty } from '../flow/edit-trigger';
import type { Engine } from '../engine';
import type { Db, Notebook } from '../db/client';
import { Problem } from '../model/problem';
import type { NotebookDto } from '../contract';
import type { BackfillRequest, BackfillResponse, ScheduleDto } from '../contract';
import type { EventPersister } from '../persistence/persister';
import { runBackfill } from '../scheduler/backfill';
import { nextFire, previousFire, scheduleSpecs, slotsBetween, ScheduleError, type ScheduleSpec } from '../flow/schedule-calc';
import { notebookOrigin } from './origin';
import { startProblem } from './runs';
import { lastEvaluatedTimes } from './schedules';
import type { NotebookService } from './service';

/** More slots than this in one backfill is almost surely a mistaken window. */
export const MAX_BACKFILL_SLOTS = 1000;

export class ScheduleService {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
    private readonly persister: EventPersister,
    private readonly notebooks: NotebookService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(notebookId: string): Promise<ScheduleDto[]> {
    const row = await this.notebooks.row(notebookId);
    const flow = parseFlow(row.yaml).flow;
    if (!flow) return [];
    const lastEvaluated = await lastEvaluatedTimes(this.db, notebookId);
    const now = this.now();
    return scheduleSpecs(flow.triggers).map((spec) => {
      const raw = flow.triggers.find((t) => t.id === spec.id);
      const dto: ScheduleDto = {
        id: spec.id,
        type: String(raw?.type ?? ''),
        cron: spec.cron,
        description: describeCron(spec),
        timezone: spec.timezone,
        withSeconds: spec.withSeconds,
        disabled: spec.disabled,
        inputs: spec.inputs,
        recoverMissedSchedules: spec.recoverMissedSchedules,
        lastEvaluated: lastEvaluated[spec.id]?.toISOString(),
      };
      try {
        const next = nextFire(spec, now);
        if (next && !spec.disabled && !flow.disabled && !row.deletedAt) dto.nextFire = next.toISOString();
        const previous = previousFire(spec, now);
        if (previous) dto.previousFire = previous.toISOString();
      } catch (err) {
        dto.problem = err instanceof Error ? err.message : String(err);
      }
      return dto;
    });
  }

  /**
   * Starts one execution per slot of the trigger in [start, end], all stored under the
   * notebook; the flow's concurrency decides how many run at once.
   */
  async backfill(notebookId: string, triggerId: string, req: BackfillRequest): Promise<BackfillResponse> {
    const row = await this.notebooks.row(notebookId);
    if (row.deletedAt) throw new Problem('conflict', `notebook ${notebookId} is deleted: restore it to backfill it`);
    const flow = validFlow(row);
    const spec = scheduleOf(flow, triggerId);
    if (flow.disabled) throw new Problem('conflict', `flow ${flow.id} is disabled: a disabled flow does not run`);
    if (spec.disabled) throw new Problem('conflict', `trigger ${triggerId} is disabled: switch it on to backfill it`);
    const start = instant(req.start, 'start');
    const end = instant(req.end, 'end');
    if (end < start) throw new Problem('invalid', `the backfill ends (${req.end}) before it starts (${req.start})`);
    const slots = windowSlots(spec, start, end);

    const executions: BackfillResponse['executions'] = [];
    const all = runBackfill(this.engine, {
      flow,
      start,
      end,
      triggerId,
      inputs: req.inputs,
      labels: req.labels,
      origin: notebookOrigin({ notebookId, yaml: row.yaml, flow }),
      onStart: (slot, executionId) => {
        executions.push({ executionId, triggerDate: slot.toISOString() });
      },
    });
    if (executions.length < slots.length) {
      // A slot refused to start (the inputs do not fit the flow): the same inputs go to every slot, so it is the first.
      await all.then(
        () => undefined,
        (err: unknown) => {
          throw startProblem(err);
        },
      );
    }
    all.catch((err: unknown) => console.error(`flowbook: backfill of ${notebookId}/${triggerId} failed inside the engine:`, err));
    return { executions };
  }

  /** Switches a trigger on or off by writing its `disabled` in the YAML; nothing else changes. */
  async setDisabled(notebookId: string, triggerId: string, disabled: boolean): Promise<NotebookDto> {
    const row = await this.notebooks.row(notebookId);
    scheduleOf(validFlow(row), triggerId);
    let next;
    try {
      // On is Kestra's default: the property goes rather than staying as `disabled: false`.
      next = setTriggerProperty(parseFlow(row.yaml), triggerId, 'disabled', disabled ? true : undefined);
    } catch (err) {
      if (err instanceof Error && err.name === 'FlowEditError') throw new Problem('unprocessable', err.message, {}, { cause: err });
      throw err;
    }
    return this.notebooks.update(notebookId, exportFlow(next), row.version);
  }
}

export function describeCron(spec: Pick<ScheduleSpec, 'cron' | 'withSeconds'>): string {
  try {
    return cronstrue.toString(spec.cron, { use24HourTimeFormat: false });
  } catch {
    return spec.cron;
  }
}

function validFlow(row: Notebook): FlowSpec {
  const parsed = parseFlow(row.yaml);
  if (!parsed.flow || hasErrors(parsed.issues)) throw Problem.invalidYaml(parsed.issues);
  return parsed.flow;
}

function scheduleOf(flow: FlowSpec, triggerId: string): ScheduleSpec {
  const specs = scheduleSpecs(flow.triggers);
  const spec = specs.find((s) => s.id === triggerId);
  if (spec) return spec;
  const has = specs.length ? `it has ${specs.map((s) => s.id).join(', ')}` : 'it has none';
  throw new Problem('not-found', `flow ${flow.id} has no Schedule trigger "${triggerId}" (${has})`);
}

function instant(text: string, field: 'start' | 'end'): Date {
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Problem('invalid', `backfill ${field} "${text}" is not a date-time`);
  return at;
}

function windowSlots(spec: ScheduleSpec, start: Date, end: Date): Date[] {
  let slots: Date[];
  try {
    slots = slotsBetween(spec, start, end, MAX_BACKFILL_SLOTS + 1);
  } catch (err) {
    if (!(err instanceof ScheduleError)) throw err;
    const tooMany = /more than/.test(err.message);
    throw new Problem(
      'unprocessable',
      tooMany
        ? `the window ${start.toISOString()} → ${end.toISOString()} holds more than ${MAX_BACKFILL_SLOTS} slots of "${spec.cron}"; narrow it`
        : err.message,
      {},
      { cause: err },
    );
  }
  if (slots.length === 0) {
    throw new Problem('unprocessable', `no slot of "${spec.cron}" (${describeCron(spec)}, ${spec.timezone}) falls between ${start.toISOString()} and ${end.toISOString()}`);
  }
  return slots;
}
