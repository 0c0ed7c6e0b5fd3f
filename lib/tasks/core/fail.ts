import { taskSchema, stringish } from '../schema';
import * as z from 'zod';
import { TaskError, type RunnableTaskDefinition } from '../types';
import { readProps } from './props';
import { isTruthy } from './truth';

const properties = taskSchema(() => ({
  // Kestra's Fail names it `errorMessage` (core/.../plugin/core/execution/Fail.java); it has no `message`.
  errorMessage: stringish.optional().describe('The error message the task fails with. Templates are rendered. Default: "Task failure".'),
  condition: z.union([stringish, z.null()]).optional().describe('Fail only when this renders to something true; "false", "0" and "" leave the task successful.'),
}));

export const fail: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.execution.Fail',
  aliases: ['io.kestra.core.tasks.executions.Fail'],
  title: 'Fail the execution',
  description:
    'Stops the execution with an error message of your choice. Put it inside an If or Switch branch to reject bad input or an unexpected result, or give it a `condition` so it fails only when that condition is true. The `errors` tasks of the flow still run afterwards.',
  properties,
  outputs: [],
  example: `id: reject_month
type: io.kestra.plugin.core.execution.Fail
condition: "{{ inputs.month == '13' }}"
errorMessage: "There is no month 13"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    if (props.condition !== undefined && props.condition !== null && !isTruthy(ctx.renderString(props.condition))) {
      return { outputs: {} };
    }
    throw new TaskError(props.errorMessage === undefined ? 'Task failure' : ctx.renderString(props.errorMessage));
  },
};
