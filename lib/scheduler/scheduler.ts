/**
 * The loop that fires Schedule triggers of saved notebooks. The arithmetic lives in
 * schedule-calc; this module only asks "what is due?" each tick and starts executions.
 * Where the last evaluation time is kept is the source's business (the app keeps it in
 * its database), so missed slots are recovered after a restart.
 */
import type { FlowSpec } from '../flow';
import type { Engine, ExecutionOrigin } from '../engine';
import { missedSlots, scheduleSpecs, type ScheduleSpec } from '../flow/schedule-calc';

export interface ScheduledFlow {
  /** Stable key of the saved notebook. */
  key: string;
  flow: FlowSpec;
  /** Last instant evaluated per trigger id; absent means "from now on". */
  lastEvaluated: Record<string, Date | undefined>;
  /** What the executions it starts carry (their notebook); absent for flows of no notebook. */
  origin?: ExecutionOrigin;
}

export interface ScheduleSource {
  list(): Promise<ScheduledFlow[]>;
  /**
   * Moves a trigger's last evaluation from `from` (undefined: never evaluated) to `to`, only
   * if it still reads `from`: a compare-and-set, so when several schedulers share one
   * database exactly one of them wins each window and fires its slots. False when another
   * scheduler moved it first.
   */
  claim(key: string, triggerId: string, from: Date | undefined, to: Date): Promise<boolean>;
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly engine: Engine,
    private readonly source: ScheduleSource,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(new Date()), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Fires every slot due up to `now`; returns the execution ids started. */
  async tick(now: Date): Promise<string[]> {
    if (this.ticking) return [];
    this.ticking = true;
    const started: string[] = [];
    try {
      for (const item of await this.source.list()) {
        if (item.flow.disabled) continue;
        for (const spec of scheduleSpecs(item.flow.triggers)) {
          if (spec.disabled) continue;
          try {
            started.push(...(await this.fire(item, spec, now)));
          } catch (err) {
            // One trigger that cannot be evaluated (a slot that fails to start, a lost claim's
            // database error) must not stop the others.
            console.error(`schedule ${item.key}/${spec.id}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      }
    } finally {
      this.ticking = false;
    }
    return started;
  }

  /** Claims the trigger's window up to `now` and, when this scheduler won it, starts its slots. */
  private async fire(item: ScheduledFlow, spec: ScheduleSpec, now: Date): Promise<string[]> {
    const last = item.lastEvaluated[spec.id];
    // Another scheduler (whose clock runs ahead) evaluated past `now` already: never move the mark back.
    if (last && now <= last) return [];
    const slots = last ? missedSlots(spec, last, now) : [];
    // Claimed before anything starts: a slot fires at most once, even with two schedulers on one database.
    if (!(await this.source.claim(item.key, spec.id, last, now))) return [];
    const started: string[] = [];
    for (const slot of slots) {
      try {
        const run = this.engine.start({ flow: item.flow, inputs: spec.inputs, triggerDate: slot.toISOString(), triggerId: spec.id, origin: item.origin && { ...item.origin, trigger: { id: spec.id, date: slot.toISOString() } } });
        started.push(run.id);
      } catch (err) {
        // A trigger whose inputs no longer fit the flow must not stop its other slots.
        console.error(`schedule ${item.key}/${spec.id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return started;
  }
}
