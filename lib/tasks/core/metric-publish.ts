/**
 * Kestra's metric.Publish (core/src/main/java/io/kestra/plugin/core/metric/Publish.java):
 * each entry of `metrics` (AbstractMetric: `type` counter, gauge or timer, `name`, `value`,
 * `tags`) is rendered and recorded on the task run, and listed again as the output `metrics`.
 * A timer's value is an ISO-8601 duration, kept in milliseconds.
 */
import * as z from 'zod';
import { stringish, taskSchema } from '../schema';
import { TaskError, type RunContext, type RunnableTaskDefinition } from '../types';
import { readProps, renderStringRecord } from './props';
import { parseDurationMs } from '../../model/duration';

const METRIC_TYPES = ['counter', 'gauge', 'timer'] as const;

const metricSchema = z
  .object({
    type: z.enum(METRIC_TYPES).describe('counter and gauge take a number; timer an ISO-8601 duration such as PT1.5S.'),
    name: stringish.describe('The metric name.'),
    value: stringish.describe('The value: a number, or a duration for a timer. Templates are rendered.'),
    tags: z.record(z.string(), stringish).optional().describe('Tags to tell series apart, e.g. `table: trips`.'),
  })
  .strict();

const properties = taskSchema(() => ({
  metrics: z.array(metricSchema).describe('The metrics to publish.'),
}));

function metricValue(ctx: RunContext, type: (typeof METRIC_TYPES)[number], raw: unknown, name: string): number {
  const text = ctx.renderString(raw).trim();
  if (type === 'timer') return parseDurationMs(text, `task "${ctx.task.id}" metric "${name}" value`);
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) throw new TaskError(`task "${ctx.task.id}" metric "${name}": value "${text}" is not a number`);
  return n;
}

export const metricPublish: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.metric.Publish',
  title: 'Publish metrics',
  description:
    "Records metrics of your own on the task run, such as the number of rows a load wrote or how long an external job took, next to the metrics tasks record themselves. Values may be templates over earlier outputs.",
  properties,
  outputs: ['metrics'],
  example: `id: publish
type: io.kestra.plugin.core.metric.Publish
metrics:
  - type: counter
    name: rows_loaded
    value: "{{ outputs.load.rowCount ?? 0 }}"
    tags:
      table: trips`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const published = props.metrics.map((m) => {
      const name = ctx.renderString(m.name);
      const value = metricValue(ctx, m.type, m.value, name);
      const tags = renderStringRecord(ctx, m.tags, `metric "${name}" tags`);
      return { name, type: m.type, value, tags };
    });
    for (const m of published) ctx.metric(m.name, m.type, m.value, m.tags);
    return { outputs: { metrics: published } };
  },
};
