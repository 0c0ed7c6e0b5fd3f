/**
 * What a script task hands a runner besides the command: its signal, the engine's runner
 * settings, the ids the runner labels its containers with, and where the runner's own
 * messages and facts go (the task's log and task run). A runner's failure becomes the task's.
 */
import { RunnerError, type RunnerRequest, type RunnerResult, type TaskRunner } from '../../runners/types';
import { TaskError, type RunContext } from '../types';

type FromContext = 'signal' | 'labels' | 'settings' | 'log' | 'detail' | 'secret';

export function requestFromContext(ctx: RunContext): Pick<RunnerRequest, FromContext> {
  return {
    signal: ctx.signal,
    labels: { executionId: ctx.scope.executionId, taskRunId: ctx.scope.taskRunId, taskId: ctx.scope.taskId, namespace: ctx.scope.namespace },
    settings: ctx.config,
    log: (level, message) => ctx.logger.log(level, message),
    detail: (key, value) => ctx.setDetail(key, value),
    secret: (value) => ctx.maskSecret(value),
  };
}

/** Runs the request; when the runner cannot run it, the task fails with the runner's message as is. */
export async function runOn(runner: TaskRunner, request: RunnerRequest): Promise<RunnerResult> {
  try {
    return await runner.run(request);
  } catch (err) {
    if (err instanceof RunnerError) throw new TaskError(err.message, { cause: err });
    throw err;
  }
}
