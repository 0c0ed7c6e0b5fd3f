import * as z from 'zod';
import { taskSchema } from '../schema';
import { TaskError, type RunContext, type RunnableTaskDefinition } from '../types';
import { readProps } from './props';

const SYSTEM_PREFIX = 'system.';

const labelPair = z.object({ key: z.string(), value: z.unknown() });

const properties = taskSchema(() => ({
  labels: z
    .union([z.record(z.string(), z.unknown()), z.array(labelPair), z.string()])
    .describe('Labels to add to the execution: a map, a list of `{key, value}`, or a template that renders to a JSON object. Keys and values are rendered.'),
}));

export const labels: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.execution.Labels',
  aliases: ['io.kestra.core.tasks.executions.Labels'],
  title: 'Label the execution',
  description:
    "Adds labels (key-value tags) to the running execution, or changes existing ones; a new value wins for a key that is already set. Labels show on the execution and can be used to find it later, and the flow reads them as `{{ labels.<key> }}`. Use it to record what a run processed, such as the file name or the month. Keys starting with `system.` are Kestra's own and are refused.",
  properties,
  outputs: [],
  example: `id: set_label
type: io.kestra.plugin.core.execution.Labels
labels:
  file: "{{ render(vars.file) }}"
  taxi: "{{ inputs.taxi }}"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const result: Record<string, string> = {};
    for (const [rawKey, rawValue] of labelEntries(ctx, props.labels)) {
      const key = ctx.renderString(rawKey);
      if (key.startsWith(SYSTEM_PREFIX)) {
        throw new TaskError(`System labels can only be set by Kestra itself, offending label: ${key}`);
      }
      if (key.trim() === '') throw new TaskError(`task "${ctx.task.id}": a label key is empty`);
      result[key] = ctx.renderString(rawValue);
    }
    return { outputs: { labels: result } };
  },
};

function labelEntries(ctx: RunContext, labels: z.infer<ReturnType<typeof properties>>['labels']): [unknown, unknown][] {
  if (Array.isArray(labels)) return labels.map((l) => [l.key, l.value]);
  if (typeof labels === 'string') {
    const rendered = ctx.renderString(labels);
    let parsed: unknown;
    try {
      parsed = JSON.parse(rendered);
    } catch (err) {
      throw new TaskError(`task "${ctx.task.id}": labels must render to a JSON object, got "${rendered}"`, { cause: err });
    }
    if (Array.isArray(parsed)) {
      return parsed.map((l: unknown) => {
        const pair = labelPair.safeParse(l);
        if (!pair.success) throw new TaskError(`task "${ctx.task.id}": each label in the list needs a key and a value`);
        return [pair.data.key, pair.data.value];
      });
    }
    if (typeof parsed !== 'object' || parsed === null) {
      throw new TaskError(`task "${ctx.task.id}": labels must render to a JSON object, got "${rendered}"`);
    }
    return Object.entries(parsed);
  }
  return Object.entries(labels);
}
