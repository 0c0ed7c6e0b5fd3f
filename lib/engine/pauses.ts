/**
 * The Pause task runs of one execution that wait to be resumed. Kestra's executor schedules
 * an ExecutionDelay for a paused task run at `pausedAt + (pauseDuration ?? timeout)`
 * (ExecutorService.handlePausedDelay), and a resume by request acts on the execution's first
 * PAUSED task run, its `onResume` inputs checked like flow inputs (ExecutionService.resume,
 * validateForResume). Whichever comes first settles the wait; a kill ends it too.
 */
import { resolveInputs } from '../flow';
import type { InputSpec } from '../flow/types';
import { Problem } from '../model/problem';
import type { PauseOutcome, PauseRequest } from '../tasks/types';
import type { TaskRun } from './events';

interface Waiter {
  taskRun: TaskRun;
  onResume: readonly InputSpec[];
  settle(outcome: PauseOutcome): void;
}

export class PausedTaskRuns {
  private readonly waiting: Waiter[] = [];

  /** Waits until a resume, the deadline (counted from `pausedAtMs`: a restart keeps it) or the signal. */
  wait(taskRun: TaskRun, request: PauseRequest, pausedAtMs: number, signal: AbortSignal): Promise<PauseOutcome> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => waiter.settle({ by: 'kill' });
      const waiter: Waiter = {
        taskRun,
        onResume: request.onResume,
        settle: (outcome) => {
          if (timer) clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          const i = this.waiting.indexOf(waiter);
          if (i < 0) return; // settled already
          this.waiting.splice(i, 1);
          resolve(outcome);
        },
      };
      this.waiting.push(waiter);
      if (signal.aborted) return waiter.settle({ by: 'kill' });
      signal.addEventListener('abort', onAbort, { once: true });
      const deadline = request.deadline;
      if (deadline) {
        const left = Math.max(0, pausedAtMs + deadline.afterMs - Date.now());
        timer = setTimeout(() => waiter.settle({ by: 'deadline', outcome: deadline.outcome, at: new Date().toISOString() }), left);
      }
    });
  }

  /** Fails the first paused task run instead of resuming it (nobody can resume it: the CLI's `--on-pause fail`). */
  refuse(executionId: string, reason: string): void {
    const waiter = this.waiting[0];
    if (!waiter) throw new Problem('conflict', `execution ${executionId} has no paused task`);
    waiter.settle({ by: 'refusal', reason });
  }

  /** The task run a resume would move on: the first one paused. */
  first(): TaskRun | undefined {
    return this.waiting[0]?.taskRun;
  }

  /** The `onResume` inputs a resume of the first paused task run is checked against. */
  firstOnResume(): readonly InputSpec[] | undefined {
    return this.waiting[0]?.onResume;
  }

  /**
   * Resumes the first paused task run with `inputs`: they are checked against its `onResume`
   * (types coerced, defaults filled, a required one missing refused) before anything moves,
   * so a bad value leaves the execution PAUSED.
   */
  resume(executionId: string, inputs: Record<string, unknown>): void {
    const waiter = this.waiting[0];
    if (!waiter) throw new Problem('conflict', `execution ${executionId} has no paused task to resume`);
    const values = resolveInputs([...waiter.onResume], inputs);
    waiter.settle({ by: 'request', inputs: values, at: new Date().toISOString() });
  }
}
