/**
 * Kestra's templating.TemplatedTask (core/src/main/java/io/kestra/plugin/core/templating/
 * TemplatedTask.java): `spec` is rendered, read as the YAML of one runnable task, and run in
 * this task's place: with its id, its context and its outputs. A TemplatedTask inside the
 * spec and a flowable task are refused, as in Kestra.
 */
import { parse } from 'yaml';
import { stringish, taskSchema } from '../schema';
import { TaskError, type RawTask, type RunContext, type RunnableTaskDefinition } from '../types';
import { readProps } from './props';

const TYPE = 'io.kestra.plugin.core.templating.TemplatedTask';
const ALIAS = 'io.kestra.core.tasks.templating.TemplatedTask';

const properties = taskSchema(() => ({
  spec: stringish.describe('The YAML of the task to run, rendered first: `type` and its properties (its `id` is this task\'s).'),
}));

export const templatedTask: RunnableTaskDefinition = {
  kind: 'runnable',
  type: TYPE,
  aliases: [ALIAS],
  title: 'Run a task built from a template',
  description:
    'Renders `spec` with the execution\'s variables and runs the task it describes, so a task\'s type or property names can come from inputs or earlier outputs. Its outputs are those of the task it ran.',
  properties,
  example: `id: templated
type: io.kestra.plugin.core.templating.TemplatedTask
spec: |
  type: io.kestra.plugin.core.log.Log
  message: "{{ flow.id }} says hello"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const text = ctx.renderString(props.spec);
    let spec: unknown;
    try {
      spec = parse(text);
    } catch (err) {
      throw new TaskError(`task "${ctx.task.id}" spec is not valid YAML once rendered: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec) || typeof (spec as { type?: unknown }).type !== 'string') {
      throw new TaskError(`task "${ctx.task.id}" spec must render to a task with a \`type\`, got: ${text.slice(0, 200)}`);
    }
    const inner = { ...(spec as Record<string, unknown>), id: ctx.task.id } as RawTask;
    if (inner.type === TYPE || inner.type === ALIAS) throw new TaskError(`The templated task cannot be of type '${TYPE}'`);
    // Loaded here, not at the top: the registry lists this task, so a static import would be a cycle.
    const { getTaskDefinition } = await import('../registry');
    const def = getTaskDefinition(inner.type);
    if (!def) throw new TaskError(`task "${ctx.task.id}" spec: task type ${inner.type} is not supported locally`);
    if (def.kind !== 'runnable') throw new TaskError('The templated task must be a runnable task');
    // The inner task runs with this task's context; only the task it reads its properties from changes.
    const innerCtx = Object.create(ctx, { task: { value: inner, enumerable: true } }) as RunContext;
    return def.run(innerCtx);
  },
};
