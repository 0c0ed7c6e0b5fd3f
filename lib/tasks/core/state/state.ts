/**
 * Kestra's state store (core/.../storages/StateStore.java, plugin/core/state/AbstractState.java):
 * a named map of values kept in the namespace's KV store, per flow unless `namespace: true`
 * shares it across the namespace, and per loop value unless `taskrunValue: false`. The KV key
 * is Kestra's: `<flow slug>_states_tasks-states_<name>[_<murmur3 hash of the loop value>]`.
 */
import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../../schema';
import { TaskError, type RunContext, type RunnableTaskDefinition } from '../../types';
import { readProps, renderBoolean, renderRecord } from '../props';
import { deepMerge } from '../../../flow/plugin-defaults';
import { murmur3x64128Hex } from './murmur3';

const common = {
  name: stringish.optional().describe('The name of the state (default "default").'),
  namespace: dynamic(z.boolean()).optional().describe("Share the state with every flow of the namespace instead of keeping it to this flow (default false)."),
  taskrunValue: dynamic(z.boolean()).optional().describe('Keep a separate state per ForEach value, `taskrun.value` (default true).'),
};

/** Kestra's Slugify.of: spaces become dashes, other non-word characters go, `_` becomes `-`, lower case. */
function kestraSlug(input: string): string {
  return input
    .replace(/\s/g, '-')
    .normalize('NFD')
    .replace(/[^\w-]/g, '')
    .replace(/_/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

interface StateLocation {
  namespace: string;
  key: string;
  name: string;
}

function locate(ctx: RunContext, props: { name?: string | number | boolean; namespace?: unknown; taskrunValue?: unknown }): StateLocation {
  const name = props.name === undefined ? 'default' : ctx.renderString(props.name);
  const flowScoped = !renderBoolean(ctx, props.namespace, false);
  const byValue = renderBoolean(ctx, props.taskrunValue, true);
  const taskrun = ctx.variables.taskrun as { value?: unknown } | undefined;
  const value = byValue && typeof taskrun?.value === 'string' ? taskrun.value : undefined;
  const key = `${flowScoped ? `${kestraSlug(ctx.scope.flowId)}_` : ''}states_tasks-states_${name}${value === undefined ? '' : `_${murmur3x64128Hex(value)}`}`;
  return { namespace: ctx.scope.namespace, key, name };
}

function read(ctx: RunContext, at: StateLocation): Record<string, unknown> | undefined {
  const found = ctx.kv.get(at.namespace, at.key);
  if (!found.found) return undefined;
  const value = typeof found.value === 'string' ? (JSON.parse(found.value) as unknown) : found.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const getProperties = taskSchema(() => ({
  ...common,
  errorOnMissing: dynamic(z.boolean()).optional().describe('Fail when the state does not exist (default false: `data` is empty).'),
}));

export const stateGet: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.state.Get',
  aliases: ['io.kestra.core.tasks.states.Get'],
  title: 'Read a saved state',
  description:
    "Reads a state that an earlier execution saved with state.Set and outputs it as `data`, with `count` the number of keys. Use it to remember something between executions of a flow, for example the last file processed; a missing state gives empty `data` unless `errorOnMissing` is set.",
  properties: getProperties,
  outputs: ['count', 'data'],
  example: `id: last_run
type: io.kestra.plugin.core.state.Get
name: taxi_loads`,
  async run(ctx) {
    const props = readProps(getProperties, ctx);
    const at = locate(ctx, props);
    const data = read(ctx, at);
    if (data === undefined && renderBoolean(ctx, props.errorOnMissing, false)) throw new TaskError(`State ${at.key} not found`);
    return { outputs: { count: Object.keys(data ?? {}).length, data: data ?? {} } };
  },
};

const setProperties = taskSchema(() => ({
  ...common,
  data: z.record(z.string(), z.unknown()).describe('The values to store; merged into the state, a key given again is overwritten.'),
}));

export const stateSet: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.state.Set',
  aliases: ['io.kestra.core.tasks.states.Set'],
  title: 'Save a state',
  description:
    'Merges `data` into a named state that later executions of the flow read with state.Get: new keys are added and existing keys overwritten. It outputs the state\'s KV `key` and its `count` of keys. Concurrent executions may overwrite each other\'s values, as in Kestra.',
  properties: setProperties,
  outputs: ['count', 'key'],
  example: `id: remember
type: io.kestra.plugin.core.state.Set
name: taxi_loads
data:
  "{{ inputs.taxi }}": "{{ execution.startDate }}"`,
  async run(ctx) {
    const props = readProps(setProperties, ctx);
    const at = locate(ctx, props);
    const merged = deepMerge(read(ctx, at) ?? {}, renderRecord(ctx, props.data, 'data'));
    ctx.kv.set(at.namespace, at.key, merged, { type: 'JSON' });
    return { outputs: { count: Object.keys(merged).length, key: at.key } };
  },
};

const deleteProperties = taskSchema(() => ({
  ...common,
  errorOnMissing: dynamic(z.boolean()).optional().describe('Fail when the state does not exist (default false).'),
}));

export const stateDelete: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.state.Delete',
  aliases: ['io.kestra.core.tasks.states.Delete'],
  title: 'Delete a saved state',
  description:
    'Removes a named state saved with state.Set and outputs `deleted`: true when it existed. Use it to start over, for example to reprocess everything on the next execution; with `errorOnMissing` a missing state fails the task.',
  properties: deleteProperties,
  outputs: ['deleted'],
  example: `id: forget
type: io.kestra.plugin.core.state.Delete
name: taxi_loads`,
  async run(ctx) {
    const props = readProps(deleteProperties, ctx);
    const at = locate(ctx, props);
    const deleted = ctx.kv.delete(at.namespace, at.key);
    if (!deleted && renderBoolean(ctx, props.errorOnMissing, false)) throw new TaskError(`Unable to find the state file '${at.name}'`);
    return { outputs: { deleted } };
  },
};
