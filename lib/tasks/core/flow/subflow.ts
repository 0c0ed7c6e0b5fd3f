/**
 * Subflow: runs another flow as its own execution (Kestra's
 * core/src/main/java/io/kestra/plugin/core/flow/Subflow.java). Its outputs are Subflow.Output:
 * `executionId`, and when it waits `state` and `outputs` (the child flow's own `outputs:`).
 */
import * as z from 'zod';
import { taskSchema } from '../../schema';
import { TaskError, type RunnableTaskDefinition } from '../../types';
import { readProps } from '../props';
import { childFlowProperties, childFlowSettings, logChildStarted, renderChildInputs, stateFromChild, waitForScheduleDate } from './subflow-common';

const properties = taskSchema(() => ({
  ...childFlowProperties,
  outputs: z.record(z.string(), z.unknown()).optional().describe('Deprecated since Kestra 0.15: declare `outputs:` on the child flow instead. Flowbook ignores it.'),
}));

export const subflow: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.flow.Subflow',
  aliases: ['io.kestra.core.tasks.flows.Subflow', 'io.kestra.core.tasks.flows.Flow'],
  title: 'Run another flow',
  description:
    "Starts another flow as its own execution, like calling a function: give it the flow's `namespace` and `flowId` and its `inputs`. By default the task waits for the child to end; the child flow's `outputs:` are then `{{ outputs.<id>.outputs.<name> }}`, its id `{{ outputs.<id>.executionId }}` and its end state `{{ outputs.<id>.state }}`, and a failed child fails this task (`transmitFailed`). The child is shown as a run of its own notebook, linked from this cell.",
  properties,
  outputs: ['executionId', 'state', 'outputs'],
  example: `id: call_subflow
type: io.kestra.plugin.core.flow.Subflow
namespace: company.team
flowId: subflow
inputs:
  user: Rick Astley
wait: true
transmitFailed: true`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const settings = childFlowSettings(ctx, props);
    if (props.outputs !== undefined) ctx.logger.warn('outputs on the Subflow task are deprecated (Kestra 0.15) and ignored: declare outputs on the child flow');
    const inputs = renderChildInputs(ctx, props.inputs);
    await waitForScheduleDate(ctx, props.scheduleDate);
    const run = await ctx.startSubflow({ namespace: settings.namespace, flowId: settings.flowId, inputs, labels: settings.labels, inheritLabels: settings.inheritLabels });
    // On the task run whatever its end, so the cell links to the child even when the child failed it.
    ctx.setDetail('subflowExecutionId', run.executionId);
    logChildStarted(ctx, settings, run);
    if (!settings.wait) return { outputs: { executionId: run.executionId } };
    const child = await run.done;
    const state = stateFromChild(child.state, settings.transmitFailed);
    const where = `Subflow execution ${child.executionId} of ${settings.namespace}.${settings.flowId}`;
    if (state === 'FAILED') throw new TaskError(`${where} ends in ${child.state} state`);
    if (state === 'WARNING') ctx.logger.warn(`${where} ends in WARNING state`);
    return { outputs: { executionId: child.executionId, state: child.state, outputs: child.outputs }, state };
  },
};
