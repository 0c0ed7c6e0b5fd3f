/**
 * Flowable tasks: they run no code of their own, they decide which child tasks run and
 * how (in order, in parallel, once per value). Which properties hold their child tasks is
 * declared once, in the flow model (lib/flow/children.ts); the property paths (`then`,
 * `cases.yellow`) are how cells nest.
 */
import { z } from 'zod';
import { dynamic, stringish, taskSchema } from '../schema';
import type { FlowableTaskDefinition } from '../types';

const rawTask = z.object({ id: z.string(), type: z.string() }).passthrough();
const taskList = z.array(rawTask);

export const ifTask: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.If',
  aliases: ['io.kestra.core.tasks.flows.If'],
  title: 'If / else',
  description:
    'Runs the `then` tasks when the condition is true and the `else` tasks otherwise. The condition is rendered to text: "false", "0", "-0" and an empty string count as false, anything else as true. Use it to take a different path for different inputs, for example yellow and green taxi data.',
  properties: taskSchema({
    condition: stringish.describe('Rendered to text; "false", "0", "-0" and "" are false, everything else true.'),
    then: taskList.min(1).describe('Tasks to run when the condition is true.'),
    else: taskList.optional().describe('Tasks to run when the condition is false.'),
  }),
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
};

export const switchTask: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.Switch',
  aliases: ['io.kestra.core.tasks.flows.Switch'],
  title: 'Switch on a value',
  description:
    'Renders `value` and runs the list of tasks under the matching key of `cases`; when no case matches, the `defaults` tasks run. Use it instead of nested Ifs when one value picks one of several paths, such as a file format or a table name.',
  properties: taskSchema({
    value: stringish.describe('Rendered to text and compared with the case keys.'),
    cases: z.record(z.string(), taskList).describe('Lists of tasks by case value.'),
    defaults: taskList.optional().describe('Tasks to run when no case matches.'),
  }),
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
    message: "Unknown taxi type {{ inputs.taxi }}"`,
};

export const sequential: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.Sequential',
  aliases: ['io.kestra.core.tasks.flows.Sequential'],
  title: 'Group tasks in order',
  description:
    'Runs its tasks one after the other, as one group. Use it to keep related steps together (and to collapse them as one cell group), or to run an ordered series inside a Parallel branch.',
  properties: taskSchema({
    tasks: taskList.min(1).describe('Tasks to run in order.'),
  }),
  example: `id: load
type: io.kestra.plugin.core.flow.Sequential
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: first
  - id: second
    type: io.kestra.plugin.core.log.Log
    message: second`,
};

export const parallel: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.Parallel',
  aliases: ['io.kestra.core.tasks.flows.Parallel'],
  title: 'Run tasks in parallel',
  description:
    'Starts its tasks at the same time instead of one after the other, and finishes when all of them are done. Use it for independent steps such as downloading several files. `concurrent` limits how many run at once (0 means no limit).',
  properties: taskSchema({
    tasks: taskList.min(1).describe('Tasks to run at the same time.'),
    concurrent: dynamic(z.number().int().min(0)).optional().describe('How many tasks may run at once; 0 (default) means all.'),
  }),
  example: `id: downloads
type: io.kestra.plugin.core.flow.Parallel
tasks:
  - id: yellow
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/yellow.csv.gz
  - id: green
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/green.csv.gz`,
};

const forEachProperties = taskSchema({
  values: z.union([z.array(z.unknown()), z.string()]).describe('The values to loop over: a list, or a template or JSON string that gives one. Each value is `{{ taskrun.value }}` inside.'),
  tasks: taskList.min(1).describe('Tasks to run once per value.'),
  concurrencyLimit: dynamic(z.number().int().min(0)).optional().describe('How many values run at once: 1 (default) is one after the other, 0 is all at once.'),
});

export const forEach: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.ForEach',
  title: 'Loop over values',
  description:
    'Runs its tasks once for each value of a list; inside, `{{ taskrun.value }}` is the current value. Use it to repeat the same steps for several months, files or tables. By default values are handled one after the other; raise `concurrencyLimit` to run several at once (0 runs them all together).',
  properties: forEachProperties,
  example: `id: each_month
type: io.kestra.plugin.core.flow.ForEach
values: ["01", "02", "03"]
tasks:
  - id: log_month
    type: io.kestra.plugin.core.log.Log
    message: "Processing month {{ taskrun.value }}"`,
};

const eachProperties = taskSchema({
  value: z.union([z.array(z.unknown()), z.string()]).describe('The values to loop over: a list, or a JSON string that gives one.'),
  tasks: taskList.min(1).describe('Tasks to run once per value.'),
  concurrent: dynamic(z.number().int().min(0)).optional().describe('How many values run at once (EachParallel; 0 means all).'),
});

export const eachSequential: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.EachSequential',
  aliases: ['io.kestra.core.tasks.flows.EachSequential'],
  title: 'Loop over values, one at a time (old)',
  description:
    'The older form of ForEach: runs its tasks once for each item of `value`, one item after the other, with the current item in `{{ taskrun.value }}`. New flows should use ForEach.',
  properties: eachProperties,
  example: `id: each
type: io.kestra.plugin.core.flow.EachSequential
value: ["a", "b"]
tasks:
  - id: log_value
    type: io.kestra.plugin.core.log.Log
    message: "{{ taskrun.value }}"`,
};

export const eachParallel: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.EachParallel',
  aliases: ['io.kestra.core.tasks.flows.EachParallel'],
  title: 'Loop over values, all at once (old)',
  description:
    'The older form of ForEach with concurrency: runs its tasks for every item of `value` at the same time (limited by `concurrent`), with the current item in `{{ taskrun.value }}`. New flows should use ForEach with `concurrencyLimit`.',
  properties: eachProperties,
  example: `id: each
type: io.kestra.plugin.core.flow.EachParallel
value: ["a", "b"]
tasks:
  - id: log_value
    type: io.kestra.plugin.core.log.Log
    message: "{{ taskrun.value }}"`,
};
