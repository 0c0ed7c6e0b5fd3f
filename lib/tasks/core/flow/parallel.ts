import * as z from 'zod';
import { dynamic } from '../../schema';
import type { FlowableTaskDefinition } from '../../types';
import { readProps } from '../props';
import { flowableSchema, renderInt, taskList, tasksOf } from './common';

const properties = flowableSchema(() => ({
  tasks: taskList.min(1).describe('Tasks to run at the same time.'),
  concurrent: dynamic(z.number().int().min(0)).optional().describe('How many tasks may run at once; 0 (default) means all.'),
}));

/** Kestra's Parallel (core/.../plugin/core/flow/Parallel.java): once a branch failed no other branch starts. */
export const parallel: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.Parallel',
  aliases: ['io.kestra.core.tasks.flows.Parallel'],
  title: 'Run tasks in parallel',
  description:
    'Starts its tasks at the same time instead of one after the other, and finishes when all of them are done. Use it for independent steps such as downloading several files. `concurrent` limits how many run at once (0 means no limit); after a task fails no further task starts.',
  properties,
  outputs: [],
  example: `id: downloads
type: io.kestra.plugin.core.flow.Parallel
tasks:
  - id: yellow
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/yellow.csv.gz
  - id: green
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/green.csv.gz`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const tasks = tasksOf(props.tasks);
    const limit = renderInt(ctx, props.concurrent, 0, 'concurrent');
    return ctx.runConcurrently(tasks.length, limit, (i) => ctx.runTasks([tasks[i]]));
  },
};
