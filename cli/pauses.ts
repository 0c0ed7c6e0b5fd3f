/**
 * What `flowbook run` does when the execution stops at a Pause task. In a terminal nobody can
 * press Resume, so the run says what it waits for and follows `--on-pause`:
 * - `wait` (default): the Pause ends as in Kestra, after its pauseDuration (by its behavior) or
 *   its timeout (FAILED); a Pause with neither waits until Ctrl+C.
 * - `resume`: resumed at once, with the `--resume-input k=v` values as its onResume inputs
 *   (checked as the app checks them; a value that does not fit ends the run).
 * - `fail`: the Pause fails at once, so the flow's `errors` run and the exit code is 1.
 */
import type { Engine } from '../lib/engine';
import type { TaskRun } from '../lib/engine/events';

export const ON_PAUSE = ['wait', 'resume', 'fail'] as const;
export type OnPause = (typeof ON_PAUSE)[number];

export function isOnPause(value: string): value is OnPause {
  return (ON_PAUSE as readonly string[]).includes(value);
}

/** Acts on every Pause of the execution as `policy` says; returns the unsubscribe. */
export function followPauses(engine: Engine, executionId: string, policy: OnPause, inputs: Record<string, string>, say: (line: string) => void): () => void {
  const handled = new Set<string>();
  return engine.bus.subscribe((event) => {
    if (event.kind !== 'taskrun' || !isPauseWait(event.taskRun, executionId) || handled.has(event.taskRun.id)) return;
    const taskRun = event.taskRun;
    handled.add(taskRun.id);
    // The event leaves before the Pause starts to wait: act once the engine has taken it in.
    setImmediate(() => act(engine, taskRun, policy, inputs, say));
  });
}

function isPauseWait(taskRun: TaskRun, executionId: string): boolean {
  return taskRun.executionId === executionId && taskRun.state === 'PAUSED' && taskRun.details?.pausedAt !== undefined;
}

function act(engine: Engine, taskRun: TaskRun, policy: OnPause, inputs: Record<string, string>, say: (line: string) => void): void {
  const where = `execution ${taskRun.executionId} is PAUSED at task ${taskRun.taskId}`;
  switch (policy) {
    case 'wait':
      say(`flowbook: ${where}; nobody can resume it here, so it waits for its pauseDuration or timeout, if it has one, else until Ctrl+C (--on-pause resume [--resume-input k=v]... resumes it at once, --on-pause fail fails it)`);
      return;
    case 'resume':
      try {
        engine.resume(taskRun.executionId, inputs);
        say(`flowbook: ${where}: resumed (--on-pause resume)`);
      } catch (err) {
        say(`flowbook: ${where}: cannot resume it: ${err instanceof Error ? err.message : String(err)} (give it with --resume-input k=v)`);
        engine.refusePause(taskRun.executionId, `not resumed: ${err instanceof Error ? err.message : String(err)}`);
      }
      return;
    case 'fail':
      engine.refusePause(taskRun.executionId, 'nobody can resume it here: flowbook run --on-pause fail fails it');
      return;
  }
}
