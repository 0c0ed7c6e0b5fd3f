import * as z from 'zod';
import { taskSchema } from '../schema';
import type { RunnableTaskDefinition } from '../types';
import { readProps, renderRecord } from './props';

const properties = taskSchema(() => ({
  values: z.record(z.string(), z.unknown()).describe('A map of names to values; every value is rendered and kept as `outputs.<id>.values.<name>`.'),
}));

export const outputValues: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.output.OutputValues',
  title: 'Output values',
  description:
    'Renders a map of values and exposes them as outputs, read later as `{{ outputs.<id>.values.<name> }}`. Use it to name intermediate results, gather values from several tasks in one place, or pass values to flow outputs.',
  properties,
  outputs: ['values'],
  editor: { property: 'values', language: 'yaml' },
  example: `id: summary
type: io.kestra.plugin.core.output.OutputValues
values:
  file: "{{ outputs.extract.outputFiles['data.csv'] }}"
  rows: "{{ outputs.count.row.total }}"`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    return { outputs: { values: renderRecord(ctx, props.values, 'values') } };
  },
};
