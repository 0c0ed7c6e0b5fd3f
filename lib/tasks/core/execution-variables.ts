/**
 * Kestra's execution.SetVariables and execution.UnsetVariables
 * (core/src/main/java/io/kestra/plugin/core/execution/SetVariables.java, UnsetVariables.java):
 * they change the execution's own variables, which later tasks read as `vars`, deep-merged over
 * the flow's `variables`. Set refuses existing keys when `overwrite` is false; Unset removes
 * keys, a dotted key inside a nested map, and fails when that map does not exist.
 */
import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../schema';
import { TaskError, type RunnableTaskDefinition } from '../types';
import { readProps, renderBoolean, renderRecord } from './props';
import { deepMerge, isPlainMap } from '../../model/maps';

const setProperties = taskSchema(() => ({
  variables: z.union([z.record(z.string(), z.unknown()), z.string()]).describe('The variables to set, a map (templates rendered); read later as `{{ vars.<name> }}`.'),
  overwrite: dynamic(z.boolean()).optional().describe('Replace variables this execution set before (default true); with false the task fails on an existing one.'),
}));

export const setVariables: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.execution.SetVariables',
  title: 'Set execution variables',
  description:
    "Sets variables for the rest of the execution: later tasks read them as `{{ vars.name }}`, over the flow's own `variables`. Use it to compute a value once (a file name, a date range) and use it in several tasks.",
  properties: setProperties,
  outputs: [],
  example: `id: set_vars
type: io.kestra.plugin.core.execution.SetVariables
variables:
  message: Hello
  name: Loïc`,
  async run(ctx) {
    const props = readProps(setProperties, ctx);
    const rendered = renderRecord(ctx, props.variables, `task "${ctx.task.id}" variables`);
    const current = ctx.executionVariables.current();
    if (!renderBoolean(ctx, props.overwrite, true)) {
      const duplicated = Object.keys(rendered).filter((k) => Object.prototype.hasOwnProperty.call(current, k));
      if (duplicated.length > 0) throw new TaskError(`\`overwrite\` is set to false and the following variables already exist: ${duplicated.join(',')}`);
    }
    ctx.executionVariables.replace(deepMerge(current, rendered));
    return { outputs: {} };
  },
};

const unsetProperties = taskSchema(() => ({
  variables: z.array(stringish).describe('The names of the variables to remove; `a.b` removes `b` from the map `a`.'),
  ignoreMissing: dynamic(z.boolean()).optional().describe('Do nothing for a name whose enclosing map does not exist (default false: fail).'),
}));

export const unsetVariables: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.execution.UnsetVariables',
  title: 'Remove execution variables',
  description:
    'Removes variables an earlier SetVariables set, so later tasks no longer read them as `vars`: for example a token no later task should see, or a value that was only needed for a few steps.',
  properties: unsetProperties,
  outputs: [],
  example: `id: unset_variables
type: io.kestra.plugin.core.execution.UnsetVariables
variables:
  - message
  - name`,
  async run(ctx) {
    const props = readProps(unsetProperties, ctx);
    const ignoreMissing = renderBoolean(ctx, props.ignoreMissing, false);
    const next = deepMerge({}, ctx.executionVariables.current());
    for (const key of props.variables.map((v) => ctx.renderString(v))) removeVariable(next, key, key, ignoreMissing);
    ctx.executionVariables.replace(next);
    return { outputs: {} };
  },
};

/** UnsetVariables.removeVar: walks the dotted path; a missing key is a no-op, a missing enclosing map an error (unless ignored). */
function removeVariable(vars: Record<string, unknown>, key: string, fullKey: string, ignoreMissing: boolean): void {
  const dot = key.indexOf('.');
  if (dot < 0) {
    delete vars[key];
    return;
  }
  const inner = vars[key.slice(0, dot)];
  if (!isPlainMap(inner)) {
    if (ignoreMissing) return;
    throw new TaskError(`cannot unset variable "${fullKey}": "${fullKey.slice(0, fullKey.length - key.length + dot)}" is not a map of variables`);
  }
  const copy = { ...inner };
  vars[key.slice(0, dot)] = copy;
  removeVariable(copy, key.slice(dot + 1), fullKey, ignoreMissing);
}
