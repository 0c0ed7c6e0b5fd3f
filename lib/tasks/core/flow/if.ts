import { stringish } from '../../schema';
import type { FlowableTaskDefinition } from '../../types';
import { readProps } from '../props';
import { isTruthy } from '../truth';
import { flowableSchema, taskList, tasksOf } from './common';

const properties = flowableSchema(() => ({
  condition: stringish.describe('Rendered to text; "false", "0", "-0" and "" are false, everything else true.'),
  then: taskList.min(1).describe('Tasks to run when the condition is true.'),
  else: taskList.optional().describe('Tasks to run when the condition is false.'),
}));

/** Kestra's If (core/.../plugin/core/flow/If.java): the condition is evaluated once and kept as the output `evaluationResult`. */
export const ifTask: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.If',
  aliases: ['io.kestra.core.tasks.flows.If'],
  title: 'If / else',
  description:
    'Runs the `then` tasks when the condition is true and the `else` tasks otherwise. The condition is rendered to text: "false", "0", "-0" and an empty string count as false, anything else as true. Use it to take a different path for different inputs, for example yellow and green taxi data.',
  properties,
  outputs: ['evaluationResult'],
  editor: { property: 'condition', language: 'text' },
  example: `id: if_yellow_taxi
type: io.kestra.plugin.core.flow.If
condition: "{{ inputs.taxi == 'yellow' }}"
then:
  - id: yellow
    type: io.kestra.plugin.core.log.Log
    message: Yellow taxi data
else:
  - id: green
    type: io.kestra.plugin.core.log.Log
    message: Green taxi data`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const result = isTruthy(ctx.render(props.condition));
    ctx.setOutputs({ evaluationResult: result });
    const branch = tasksOf(result ? props.then : props.else);
    ctx.logger.info(`condition is ${result}: running ${result ? 'then' : 'else'} (${branch.length} task${branch.length === 1 ? '' : 's'})`);
    return ctx.runTasks(branch);
  },
};
