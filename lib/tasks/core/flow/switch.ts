import * as z from 'zod';
import { stringish, lazily } from '../../schema';
import { TaskError, type FlowableTaskDefinition } from '../../types';
import { readProps } from '../props';
import { flowableSchema, taskList, tasksOf } from './common';

const properties = lazily(() =>
  flowableSchema(() => ({
    value: stringish.describe('Rendered to text and compared with the case keys.'),
    cases: z.record(z.string(), taskList).optional().describe('Lists of tasks by case value.'),
    // `defaults: null` is accepted when the flow is read, as Kestra does; a run that needs it fails.
    defaults: taskList.nullable().optional().describe('Tasks to run when no case matches.'),
  }))().superRefine((task, issue) => {
    // Kestra's SwitchTaskValidator.
    if (Object.keys(task.cases ?? {}).length === 0 && (task.defaults ?? []).length === 0) {
      issue.addIssue({ code: 'custom', path: ['cases'], message: 'No task defined, neither cases or default have any tasks' });
    }
  }),
);

/**
 * Kestra's Switch (core/.../plugin/core/flow/Switch.java): outputs `value` and `defaults`
 * (whether no case matched). With no matching case and no `defaults`, Kestra finds no task
 * to run and fails the task run (SwitchTest#switchImpossible).
 */
export const switchTask: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.Switch',
  aliases: ['io.kestra.core.tasks.flows.Switch'],
  title: 'Switch on a value',
  description:
    'Renders `value` and runs the list of tasks under the matching key of `cases`; when no case matches, the `defaults` tasks run. Use it instead of nested Ifs when one value picks one of several paths, such as a file format or a table name.',
  properties,
  outputs: ['value', 'defaults'],
  editor: { property: 'value', language: 'text' },
  example: `id: by_taxi
type: io.kestra.plugin.core.flow.Switch
value: "{{ inputs.taxi }}"
cases:
  yellow:
    - id: yellow
      type: io.kestra.plugin.core.log.Log
      message: Loading yellow taxi data
  green:
    - id: green
      type: io.kestra.plugin.core.log.Log
      message: Loading green taxi data
defaults:
  - id: unknown
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "Unknown taxi type {{ inputs.taxi }}"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const value = ctx.renderString(props.value);
    const cases = props.cases ?? {};
    const matched = Object.prototype.hasOwnProperty.call(cases, value);
    ctx.setOutputs({ value, defaults: !matched });
    if (!matched && (props.defaults === null || props.defaults === undefined)) {
      ctx.logger.warn(`No task found on flow '${ctx.scope.namespace}.${ctx.scope.flowId}', task '${ctx.task.id}', execution '${ctx.scope.executionId}'`);
      throw new TaskError(`no case matches "${value}" and there are no defaults`);
    }
    return ctx.runTasks(tasksOf(matched ? cases[value] : props.defaults));
  },
};
