/**
 * Backfill: replay a Schedule trigger for every slot in a window, as Kestra does — each
 * slot becomes an execution with `trigger.date` set to the slot, inputs from the trigger
 * overlaid by the backfill's own, and the backfill's labels.
 */
import type { FlowSpec } from '../flow';
import type { Engine, ExecutionOrigin, ExecutionResult } from '../engine';
import { scheduleSpecs, slotsBetween, ScheduleError, type ScheduleSpec } from '../flow/schedule-calc';

export interface BackfillRequest {
  flow: FlowSpec;
  start: Date;
  end: Date;
  triggerId?: string;
  inputs?: Record<string, unknown>;
  labels?: Record<string, string>;
  /** What every execution of the backfill carries (its notebook). */
  origin?: ExecutionOrigin;
  /** Called as each execution starts, with its slot. */
  onStart?(slot: Date, executionId: string): void;
}

export function backfillTrigger(flow: FlowSpec, triggerId?: string): ScheduleSpec {
  const specs = scheduleSpecs(flow.triggers);
  if (specs.length === 0) throw new ScheduleError(`flow ${flow.namespace}.${flow.id} has no Schedule trigger to backfill`);
  if (triggerId === undefined) {
    if (specs.length > 1) throw new ScheduleError(`flow ${flow.id} has ${specs.length} Schedule triggers (${specs.map((s) => s.id).join(', ')}): choose one with --trigger`);
    return specs[0];
  }
  const spec = specs.find((s) => s.id === triggerId);
  if (!spec) throw new ScheduleError(`flow ${flow.id} has no Schedule trigger "${triggerId}" (it has ${specs.map((s) => s.id).join(', ')})`);
  return spec;
}

/**
 * Starts one execution per slot, all at once, and lets the flow's concurrency setting
 * order them (with `limit: 1` they queue one after another, as in Kestra).
 */
export async function runBackfill(engine: Engine, req: BackfillRequest): Promise<{ slot: Date; result: ExecutionResult }[]> {
  const spec = backfillTrigger(req.flow, req.triggerId);
  if (spec.disabled) throw new ScheduleError(`trigger ${spec.id} is disabled: a backfill does not run on a disabled trigger`);
  const slots = slotsBetween(spec, req.start, req.end);
  const started = slots.map((slot) => {
    const run = engine.start({
      flow: req.flow,
      inputs: { ...spec.inputs, ...req.inputs },
      labels: req.labels,
      triggerDate: slot.toISOString(),
      triggerId: spec.id,
      origin: req.origin && { ...req.origin, trigger: { id: spec.id, date: slot.toISOString() } },
    });
    req.onStart?.(slot, run.id);
    return { slot, done: run.done };
  });
  return Promise.all(started.map(async ({ slot, done }) => ({ slot, result: await done })));
}
