/**
 * Kestra's execution.Exit and execution.Kill (core/src/main/java/io/kestra/plugin/core/
 * execution/Exit.java, Kill.java). Exit ends the execution now in `state` (default SUCCESS):
 * no later task starts, the Exit task run and the ones still running end in that state, and
 * KILLED kills. Kill kills an execution, this one by default.
 */
import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../schema';
import { TaskError, type ExitState, type RunnableTaskDefinition } from '../types';
import { readProps, renderOptional } from './props';

/** Exit.ExitState, as written in a flow; CANCELED (one L) ends the execution CANCELLED. */
const EXIT_STATES = ['SUCCESS', 'WARNING', 'KILLED', 'FAILED', 'CANCELED'] as const;

const exitProperties = taskSchema(() => ({
  state: dynamic(z.enum(EXIT_STATES)).optional().describe('The state the execution ends in: SUCCESS (default), WARNING, FAILED, CANCELED or KILLED (which also stops running tasks).'),
}));

export const exitTask: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.execution.Exit',
  title: 'End the execution',
  description:
    'Ends the execution at once in the state you choose, without running the tasks after it. Put it in an If or Switch branch to stop early when there is nothing to do, ending SUCCESS rather than failing.',
  properties: exitProperties,
  outputs: [],
  example: `id: exit
type: io.kestra.plugin.core.execution.Exit
state: KILLED`,
  async run(ctx) {
    const props = readProps(exitProperties, ctx);
    const text = renderOptional(ctx, props.state) ?? 'SUCCESS';
    const found = EXIT_STATES.find((s) => s === text);
    if (!found) throw new TaskError(`task "${ctx.task.id}" state: "${text}" is not one of ${EXIT_STATES.join(', ')}`);
    const state: ExitState | 'KILLED' = found === 'CANCELED' ? 'CANCELLED' : found;
    ctx.logger.info(`Exit: the execution ends ${state}`);
    ctx.endExecution(state);
    // The engine has stopped the execution: this task run ends in its state like every running one.
    throw new TaskError(`Exit: execution ${state}`);
  },
};

const killProperties = taskSchema(() => ({
  executionId: stringish.optional().describe('The execution to kill (default: this one).'),
  propagateKill: dynamic(z.boolean()).optional().describe("Also kill the executions its subflows started (default true; Flowbook's kill always reaches the subflows an execution waits for)."),
}));

export const killTask: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.execution.Kill',
  title: 'Kill an execution',
  description: 'Kills an execution, this one by default: its running tasks stop and it ends KILLED. Use it with an execution id from a trigger or an earlier output to stop a run that is no longer wanted.',
  properties: killProperties,
  outputs: [],
  example: `id: kill
type: io.kestra.plugin.core.execution.Kill`,
  async run(ctx) {
    const props = readProps(killProperties, ctx);
    const executionId = renderOptional(ctx, props.executionId) ?? ctx.scope.executionId;
    if (executionId === ctx.scope.executionId) {
      ctx.killExecution(executionId);
      throw new TaskError('Kill: execution KILLED');
    }
    if (!ctx.killExecution(executionId)) ctx.logger.warn(`execution ${executionId} is not running: nothing to kill`);
    return { outputs: {} };
  },
};
