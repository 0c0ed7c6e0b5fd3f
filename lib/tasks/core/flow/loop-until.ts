/**
 * Kestra's LoopUntil (core/.../plugin/core/flow/LoopUntil.java; `WaitFor` before, still an
 * alias): runs its tasks, then renders `condition`; while it is false the loop waits
 * `checkFrequency.interval` (the task run and the execution PAUSED meanwhile) and runs them
 * again. Output `iterationCount` starts at 1 and grows after each iteration, so the tasks read
 * it as `outputs.<loop id>.iterationCount`. After `maxIterations` iterations or `maxDuration`
 * the loop ends, FAILED when `failOnMaxReached`.
 */
import * as z from 'zod';
import { dynamic, stringish } from '../../schema';
import { TaskError, type FlowableTaskDefinition } from '../../types';
import { parseDurationMs } from '../../../model/duration';
import { readProps, renderBoolean } from '../props';
import { isTruthy } from '../truth';
import { flowableSchema, javaDuration, renderInt, taskList, tasksOf } from './common';

const checkFrequency = z
  .object({
    maxIterations: dynamic(z.number().int().min(1)).optional().describe('Maximum count of iterations (default 100).'),
    maxDuration: javaDuration.optional().describe('Maximum duration of the loop (default PT1H).'),
    interval: javaDuration.optional().describe('Wait between two iterations (default PT1S).'),
  })
  .strict();

const properties = flowableSchema(() => ({
  condition: stringish.describe('Rendered after each iteration: the loop ends when it is true ("false", "0", "-0" and "" are false).'),
  tasks: taskList.min(1).describe('Tasks to run on each iteration.'),
  checkFrequency: checkFrequency.optional().describe('How often and how long to loop: `interval`, `maxIterations`, `maxDuration`.'),
  failOnMaxReached: dynamic(z.boolean()).optional().describe('End FAILED (instead of as its tasks ended) once maxIterations or maxDuration is reached (default false).'),
}));

const DEFAULTS = { maxIterations: 100, maxDuration: 'PT1H', interval: 'PT1S' };

export const loopUntil: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.LoopUntil',
  aliases: ['io.kestra.plugin.core.flow.WaitFor'],
  title: 'Repeat tasks until a condition holds',
  description:
    'Runs its tasks, checks `condition`, and runs them again after `checkFrequency.interval` until the condition is true. Use it to poll, for example until an API reports that a job finished; `outputs.<id>.iterationCount` counts the iterations, and `maxIterations` or `maxDuration` stop a loop that never ends.',
  properties,
  outputs: ['iterationCount'],
  example: `id: poll
type: io.kestra.plugin.core.flow.LoopUntil
condition: "{{ outputs.status.value == 'done' }}"
checkFrequency:
  interval: PT10S
  maxIterations: 30
failOnMaxReached: true
tasks:
  - id: status
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.poll.iterationCount >= 3 ? 'done' : 'running' }}"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const tasks = tasksOf(props.tasks);
    const frequency = props.checkFrequency ?? {};
    const maxIterations = renderInt(ctx, frequency.maxIterations, DEFAULTS.maxIterations, 'checkFrequency.maxIterations');
    const maxDurationMs = parseDurationMs(ctx.renderString(frequency.maxDuration ?? DEFAULTS.maxDuration), 'checkFrequency.maxDuration');
    const intervalMs = parseDurationMs(ctx.renderString(frequency.interval ?? DEFAULTS.interval), 'checkFrequency.interval');
    const failOnMaxReached = renderBoolean(ctx, props.failOnMaxReached, false);
    const started = Date.now();
    let iterationCount = 1;
    ctx.setOutputs({ iterationCount });
    for (let iteration = 1; ; iteration++) {
      const state = await ctx.runTasks(tasks, { iteration });
      if (state !== 'SUCCESS' && state !== 'WARNING' && state !== 'SKIPPED') return state;
      iterationCount += 1;
      ctx.setOutputs({ iterationCount });
      // Kestra checks the maximums before the condition.
      const reached = iterationCount > maxIterations ? 'Max iterations reached' : Date.now() - started > maxDurationMs ? 'Max duration reached' : undefined;
      if (reached) {
        ctx.logger.warn(reached);
        if (failOnMaxReached) throw new TaskError(reached);
        return state;
      }
      if (isTruthy(ctx.render(props.condition))) return state;
      await ctx.pauseFor(intervalMs);
      if (ctx.signal.aborted) return 'KILLED';
    }
  },
};
