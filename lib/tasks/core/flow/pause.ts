/**
 * Kestra's Pause (core/.../plugin/core/flow/Pause.java, 1.x): the task run and the execution
 * are PAUSED until someone resumes them (the cell's Resume button, `POST
 * /api/executions/<id>/resume`, the Resume task) or until `pauseDuration` (its deprecated alias
 * `delay`) has passed, when `behavior` decides the end: RESUME → SUCCESS, WARN → WARNING,
 * FAIL → FAILED, CANCEL → the execution is CANCELLED. Without a pauseDuration, `timeout` ends
 * the pause FAILED (ExecutorService.handlePausedDelay: `State.Type.fail(pauseTask)`). A resume
 * by request always succeeds. Its outputs are Pause.Output: `onResume` (the values the resume
 * carried, checked against the `onResume` inputs, which are typed like flow inputs) and
 * `resumed` (`on`, `to`; Kestra's `by` names a user, and Flowbook has none).
 */
import * as z from 'zod';
import { dynamic } from '../../schema';
import { TaskError, type FlowableContext, type FlowableTaskDefinition, type PauseEnd, type PauseRequest } from '../../types';
import type { InputSpec } from '../../../flow/types';
import { readInputs } from '../../../flow/validate-inputs';
import { parseDurationMs } from '../../../model/duration';
import { readProps } from '../props';
import { flowableSchema, javaDuration } from './common';

const BEHAVIORS = { RESUME: 'SUCCESS', WARN: 'WARNING', FAIL: 'FAILED', CANCEL: 'CANCELLED' } as const satisfies Record<string, PauseEnd>;
type Behavior = keyof typeof BEHAVIORS;

/** `onResume` is checked as flow inputs are (ids, types, SELECT values, defaults), each issue at its own line. */
const onResumeList = z.array(z.unknown()).superRefine((list, ctx) => {
  readInputs(list, { error: (path, message) => ctx.addIssue({ code: 'custom', path: path.map((p) => (typeof p === 'number' ? p : String(p))), message }) }, []);
});

const properties = flowableSchema(() => ({
  pauseDuration: javaDuration.optional().describe('How long to pause; after it the execution goes on by itself as `behavior` says. Without it (and without `timeout`) the execution waits until resumed.'),
  delay: javaDuration.optional().describe('Deprecated: the former name of `pauseDuration`.'),
  behavior: dynamic(z.enum(['RESUME', 'WARN', 'FAIL', 'CANCEL'])).optional().describe('What happens when pauseDuration has passed: RESUME (default) goes on, WARN goes on with this task in WARNING, FAIL fails it, CANCEL cancels the execution. A resume by hand always succeeds.'),
  onResume: onResumeList.optional().describe('Inputs to fill in when resuming, typed like flow inputs (defaults, required); later tasks read them as `outputs.<id>.onResume.<input>`.'),
}));

export const pause: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.Pause',
  aliases: ['io.kestra.core.tasks.flows.Pause'],
  title: 'Pause until resumed',
  description:
    'Stops the execution here, PAUSED, until someone resumes it (the Resume button on the cell, with the `onResume` inputs filled in) or until `pauseDuration` has passed. Use it for a human in the loop: check a result, approve, and pass a decision on to the next tasks as `outputs.<id>.onResume.<input>`.',
  properties,
  outputs: ['onResume', 'resumed'],
  example: `id: approve
type: io.kestra.plugin.core.flow.Pause
onResume:
  - id: approved
    type: BOOLEAN
    defaults: true
  - id: reason
    type: STRING
    required: false`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const request: PauseRequest = { onResume: onResumeSpecs(ctx, props.onResume) };
    const deadline = deadlineOf(ctx, props.pauseDuration ?? props.delay, props.behavior);
    if (deadline) request.deadline = deadline;
    const outcome = await ctx.waitForResume(request);
    switch (outcome.by) {
      case 'kill':
        return 'KILLED';
      case 'refusal':
        throw new TaskError(`task "${ctx.task.id}": ${outcome.reason}`);
      case 'request':
        ctx.logger.info('resumed by request');
        // A SECRET value given at resume is a secret from here on, as a SECRET flow input is:
        // later tasks render with it, every log line and every stored output shows its mask.
        for (const spec of request.onResume) {
          const value = outcome.inputs[spec.id];
          if (spec.type === 'SECRET' && typeof value === 'string') ctx.maskSecret(value);
        }
        ctx.setOutputs({ onResume: outcome.inputs, resumed: { on: localDateTime(outcome.at), to: 'SUCCESS' } });
        return 'SUCCESS';
      case 'deadline': {
        ctx.setOutputs({ resumed: { on: localDateTime(outcome.at), to: outcome.outcome } });
        const why = props.pauseDuration ?? props.delay ? `pauseDuration ${ctx.renderString(props.pauseDuration ?? props.delay)}` : `timeout ${ctx.renderString(ctx.task.timeout)}`;
        if (outcome.outcome === 'FAILED') throw new TaskError(`task "${ctx.task.id}": paused for its ${why} without being resumed`);
        ctx.logger.info(`${why} has passed: ${outcome.outcome === 'CANCELLED' ? 'the execution is CANCELLED' : `the execution goes on, this task ${outcome.outcome}`}`);
        return outcome.outcome;
      }
    }
  },
};

function onResumeSpecs(ctx: FlowableContext, value: unknown): InputSpec[] {
  const problems: string[] = [];
  const specs = readInputs(value, { error: (path, message) => problems.push(`onResume${path.map((p) => `[${String(p)}]`).join('')}: ${message}`) }, []);
  if (problems.length > 0) throw new TaskError(`task "${ctx.task.id}": ${problems.join('; ')}`);
  return specs;
}

/**
 * Kestra's ExecutionDelay for a paused task run: after `pauseDuration` with the behavior's
 * state, else after the task's `timeout` FAILED; neither: no deadline.
 */
function deadlineOf(ctx: FlowableContext, duration: unknown, behavior: unknown): PauseRequest['deadline'] {
  if (duration !== undefined) {
    const afterMs = parseDurationMs(ctx.renderString(duration), `task "${ctx.task.id}": pauseDuration`);
    const chosen = behavior === undefined ? 'RESUME' : ctx.renderString(behavior);
    if (!(chosen in BEHAVIORS)) throw new TaskError(`task "${ctx.task.id}": behavior must be RESUME, WARN, FAIL or CANCEL, got "${chosen}"`);
    return { afterMs, outcome: BEHAVIORS[chosen as Behavior] };
  }
  if (ctx.task.timeout !== undefined) {
    return { afterMs: parseDurationMs(ctx.renderString(ctx.task.timeout), `task "${ctx.task.id}": timeout`), outcome: 'FAILED' };
  }
  return undefined;
}

/** Java's LocalDateTime as Jackson writes it (ISO, no zone): the server's clock in UTC. */
function localDateTime(iso: string): string {
  return iso.replace(/Z$/, '');
}
