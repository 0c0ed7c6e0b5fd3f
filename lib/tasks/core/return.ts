import { stringish, taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { readProps } from './props';

const properties = taskSchema(() => ({
  format: stringish.optional().describe('The text to render; the result becomes the output `value`.'),
}));

export const returnTask: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.debug.Return',
  aliases: ['io.kestra.core.tasks.debugs.Return'],
  title: 'Return a value',
  description:
    'Renders a template and keeps the result as its output `value`, so later tasks can use it as `{{ outputs.<id>.value }}`. Handy to compute a file name or a date once, or to check what an expression gives while you build a flow.',
  properties,
  outputs: ['value'],
  editor: { property: 'format', language: 'text' },
  example: `id: file_name
type: io.kestra.plugin.core.debug.Return
format: "{{ inputs.taxi }}_tripdata_{{ inputs.year }}-{{ inputs.month }}.csv"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    return { outputs: { value: props.format === undefined ? null : ctx.renderString(props.format) } };
  },
};
