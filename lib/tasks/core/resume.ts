/**
 * Kestra's Resume (core/.../plugin/core/execution/Resume.java): resumes a PAUSED execution,
 * by default the current one, with `inputs` as its Pause's `onResume` values. Which execution
 * follows PluginUtilsService.executionFromTaskParameters: no `executionId` → this execution;
 * `executionId` alone → that one (of this flow); `namespace` and `flowId` must come together,
 * and only with an `executionId`. The task itself ends SUCCESS (its resolveState).
 */
import * as z from 'zod';
import { stringish, taskSchema } from '../schema';
import { TaskError, type RunnableTaskDefinition } from '../types';
import { readProps, renderOptional } from './props';

const properties = taskSchema(() => ({
  executionId: stringish.optional().describe('The execution to resume; default: the current one.'),
  namespace: stringish.optional().describe('With `executionId` and `flowId`: the namespace of the execution to resume.'),
  flowId: stringish.optional().describe('With `executionId` and `namespace`: the flow of the execution to resume.'),
  inputs: z.union([z.record(z.string(), z.unknown()), z.string()]).optional().describe('Values for the paused task\'s `onResume` inputs (rendered).'),
}));

export const resume: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.execution.Resume',
  title: 'Resume a paused execution',
  description:
    'Resumes an execution waiting at a Pause task (the current one unless you give an `executionId`), passing `inputs` as the values of the Pause\'s `onResume` inputs. Use it when one flow decides for another: an approval flow resumes the execution that waits for it.',
  properties,
  outputs: [],
  example: `id: resume_waiting
type: io.kestra.plugin.core.execution.Resume
executionId: "{{ inputs.waiting_execution }}"
inputs:
  approved: true`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const executionId = renderOptional(ctx, props.executionId);
    const namespace = renderOptional(ctx, props.namespace);
    const flowId = renderOptional(ctx, props.flowId);
    if (executionId === undefined && (namespace !== undefined || flowId !== undefined)) {
      throw new TaskError(`task "${ctx.task.id}": namespace and flowId need an executionId (which execution of ${namespace ?? '?'}.${flowId ?? '?'} to resume)`);
    }
    if ((namespace === undefined) !== (flowId === undefined)) {
      throw new TaskError(`task "${ctx.task.id}": namespace and flowId go together: give both or neither`);
    }
    const rendered = props.inputs === undefined ? {} : ctx.render(props.inputs);
    const inputs = typeof rendered === 'string' ? parseInputs(ctx.task.id, rendered) : rendered;
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) throw new TaskError(`task "${ctx.task.id}": inputs must be a map of input id to value`);
    const target = executionId ?? ctx.scope.executionId;
    await ctx.resumeExecution(target, inputs as Record<string, unknown>);
    ctx.logger.info(`execution ${target} resumed`);
    return { outputs: {} };
  },
};

function parseInputs(taskId: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new TaskError(`task "${taskId}": inputs rendered to text that is not a JSON map: ${text.slice(0, 80)}`, { cause: err });
  }
}
