/**
 * Loops: ForEach and its older forms EachSequential and EachParallel. Each value's tasks get
 * the value as `taskrun.value`; their outputs are stored under it (lib/engine/lineage.ts).
 */
import * as z from 'zod';
import { dynamic } from '../../schema';
import { TaskError, type FlowableContext, type FlowableTaskDefinition, type RawTask } from '../../types';
import { readProps } from '../props';
import { listFrom } from '../../../flow/inputs';
import { finalState, type TerminalState } from '../../../model/states';
import { flowableSchema, renderInt, taskList, tasksOf } from './common';

/**
 * The loop's values as Kestra resolves them (FlowableUtils.resolveValues): a string is
 * rendered and read as a JSON list; list items are rendered, maps become JSON; a null value
 * fails the loop; duplicates run once.
 */
export function loopValues(ctx: FlowableContext, raw: unknown): string[] {
  const nullValue = () => new TaskError(`Found a null value inside the iteration values=${JSON.stringify(raw)}`);
  let items: unknown[];
  if (typeof raw === 'string') {
    const rendered = ctx.render(raw);
    const list = listFrom(rendered);
    if (!list) throw new TaskError(`task "${ctx.task.id}": values must be a list or a JSON array, got ${JSON.stringify(rendered)}`);
    items = list.map((item) => {
      if (item === null) throw nullValue();
      return typeof item === 'string' ? item : JSON.stringify(item);
    });
  } else if (Array.isArray(raw)) {
    items = raw.map((item) => {
      if (item === null || item === undefined) throw nullValue();
      if (typeof item === 'string') return ctx.renderString(item);
      if (typeof item === 'object') return JSON.stringify(ctx.render(item));
      return String(item);
    });
  } else {
    throw new TaskError(`task "${ctx.task.id}": values must be a list or a JSON array, got ${JSON.stringify(raw)}`);
  }
  return [...new Set(items.map(String))];
}

/** One value after the other; the first failure ends the loop, as Kestra's sequential resolution does. */
async function oneByOne(ctx: FlowableContext, values: readonly string[], tasks: readonly RawTask[]): Promise<TerminalState> {
  const states: TerminalState[] = [];
  for (const value of values) {
    const state = await ctx.runTasks(tasks, { value });
    states.push(state);
    if (state !== 'SUCCESS' && state !== 'WARNING' && state !== 'SKIPPED') return state;
  }
  return finalState(states);
}

async function loop(ctx: FlowableContext, raw: unknown, tasks: readonly RawTask[], limit: number): Promise<TerminalState> {
  const values = loopValues(ctx, raw);
  if (values.length === 0) return 'SUCCESS';
  if (limit === 1) return oneByOne(ctx, values, tasks);
  return ctx.runConcurrently(values.length, limit, (i) => ctx.runTasks(tasks, { value: values[i] }));
}

const valuesProperty = z.union([z.array(z.unknown()), z.string()]);

const forEachProperties = flowableSchema(() => ({
  values: valuesProperty.describe('The values to loop over: a list, or a template or JSON string that gives one. Each value is `{{ taskrun.value }}` inside; a null value fails the loop.'),
  tasks: taskList.min(1).describe('Tasks to run once per value.'),
  concurrencyLimit: dynamic(z.number().int().min(0)).optional().describe('How many values run at once: 1 (default) is one after the other, 0 is all at once.'),
}));

export const forEach: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.ForEach',
  title: 'Loop over values',
  description:
    'Runs its tasks once for each value of a list; inside, `{{ taskrun.value }}` is the current value and, in a nested loop, `{{ parents[0].taskrun.value }}` the enclosing one. Use it to repeat the same steps for several months, files or tables. By default values are handled one after the other; raise `concurrencyLimit` to run several at once (0 runs them all together).',
  properties: forEachProperties,
  outputs: [],
  example: `id: each_month
type: io.kestra.plugin.core.flow.ForEach
values: ["01", "02", "03"]
tasks:
  - id: log_month
    type: io.kestra.plugin.core.log.Log
    message: "Processing month {{ taskrun.value }}"`,
  async run(ctx) {
    const props = readProps(forEachProperties, ctx);
    return loop(ctx, props.values, tasksOf(props.tasks), renderInt(ctx, props.concurrencyLimit, 1, 'concurrencyLimit'));
  },
};

const eachProperties = flowableSchema(() => ({
  value: valuesProperty.describe('The values to loop over: a list, or a JSON string that gives one.'),
  tasks: taskList.min(1).describe('Tasks to run once per value.'),
  concurrent: dynamic(z.number().int().min(0)).optional().describe('How many values run at once (EachParallel; 0 means all).'),
}));

export const eachSequential: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.EachSequential',
  aliases: ['io.kestra.core.tasks.flows.EachSequential'],
  title: 'Loop over values, one at a time (old)',
  description:
    'The older form of ForEach: runs its tasks once for each item of `value`, one item after the other, with the current item in `{{ taskrun.value }}`. New flows should use ForEach.',
  properties: eachProperties,
  outputs: [],
  example: `id: each
type: io.kestra.plugin.core.flow.EachSequential
value: ["a", "b"]
tasks:
  - id: log_value
    type: io.kestra.plugin.core.log.Log
    message: "{{ taskrun.value }}"`,
  async run(ctx) {
    const props = readProps(eachProperties, ctx);
    return loop(ctx, props.value, tasksOf(props.tasks), 1);
  },
};

export const eachParallel: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.EachParallel',
  aliases: ['io.kestra.core.tasks.flows.EachParallel'],
  title: 'Loop over values, all at once (old)',
  description:
    'The older form of ForEach with concurrency: runs its tasks for every item of `value` at the same time (limited by `concurrent`), with the current item in `{{ taskrun.value }}`. New flows should use ForEach with `concurrencyLimit`.',
  properties: eachProperties,
  outputs: [],
  example: `id: each
type: io.kestra.plugin.core.flow.EachParallel
value: ["a", "b"]
tasks:
  - id: log_value
    type: io.kestra.plugin.core.log.Log
    message: "{{ taskrun.value }}"`,
  async run(ctx) {
    const props = readProps(eachProperties, ctx);
    // Kestra resolves EachParallel's values and its tasks alike in parallel (FlowableUtils.resolveParallelNexts):
    // every (value, task) pair is a unit, which is why flows wrap ordered steps in a Sequential.
    const tasks = tasksOf(props.tasks);
    const values = loopValues(ctx, props.value);
    const units = values.flatMap((value) => tasks.map((task) => ({ value, task })));
    const limit = renderInt(ctx, props.concurrent, 0, 'concurrent');
    return ctx.runConcurrently(units.length, limit, (i) => ctx.runTasks([units[i].task], { value: units[i].value }));
  },
};
