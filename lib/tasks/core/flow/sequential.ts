import type { FlowableTaskDefinition } from '../../types';
import { readProps } from '../props';
import { flowableSchema, taskList, tasksOf } from './common';

const properties = flowableSchema(() => ({
  tasks: taskList.min(1).describe('Tasks to run in order.'),
}));

export const sequential: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.Sequential',
  aliases: ['io.kestra.core.tasks.flows.Sequential'],
  title: 'Group tasks in order',
  description:
    'Runs its tasks one after the other, as one group. Use it to keep related steps together (and to collapse them as one cell group), to give a few steps their own `errors` handling, or to run an ordered series inside a Parallel branch.',
  properties,
  outputs: [],
  example: `id: load
type: io.kestra.plugin.core.flow.Sequential
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: first
  - id: second
    type: io.kestra.plugin.core.log.Log
    message: second
errors:
  - id: on_failure
    type: io.kestra.plugin.core.log.Log
    level: ERROR
    message: "the load group failed"`,
  async run(ctx) {
    return ctx.runTasks(tasksOf(readProps(properties, ctx).tasks));
  },
};

/**
 * Kestra's AllowFailure (core/.../plugin/core/flow/AllowFailure.java): a Sequential whose
 * failure ends WARNING, so the tasks after it still run; its own `errors` still run first.
 */
export const allowFailure: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.AllowFailure',
  aliases: ['io.kestra.core.tasks.flows.AllowFailure'],
  title: 'Let a group of tasks fail',
  description:
    'Runs its tasks in order like Sequential, but when one of them fails the group stops and ends as a warning instead of failing the execution, so the tasks after it still run. Use it around optional steps, such as a notification or a clean-up that may fail without harming the result.',
  properties,
  outputs: [],
  example: `id: optional_cleanup
type: io.kestra.plugin.core.flow.AllowFailure
tasks:
  - id: drop_staging
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the staging table was already gone`,
  failureIsWarning: true,
  async run(ctx) {
    return ctx.runTasks(tasksOf(readProps(properties, ctx).tasks));
  },
};
