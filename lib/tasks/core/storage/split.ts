/**
 * Kestra's storage.Split (core/src/main/java/io/kestra/plugin/core/storage/Split.java, through
 * StorageService.split): a stored file cut by its lines into files of `rows` lines, of about
 * `bytes`, into `partitions` files dealt round robin, or one file per value of `regexPattern`'s
 * first group; each keeps the source's extension. The same cutting ForEachItem batches with.
 */
import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../../schema';
import { TaskError, type RunnableTaskDefinition } from '../../types';
import { readProps, renderOptional } from '../props';
import { readSplitRule, splitLines } from '../flow/batches';
import { extensionOf, openStored } from './lines';

const properties = taskSchema(() => ({
  from: stringish.describe('The `kestra://` URI of the file to split.'),
  rows: dynamic(z.number().int().min(1)).optional().describe('Lines per file.'),
  bytes: stringish.optional().describe('About this size per file: `10MB`, `512KB`.'),
  partitions: dynamic(z.number().int().min(1)).optional().describe('This many files, the lines dealt round robin.'),
  regexPattern: stringish.optional().describe("One file per value of the pattern's first group; lines that do not match are left out."),
  separator: stringish.optional().describe('What ends each line in the files (default a newline).'),
}));

export const storageSplit: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.Split',
  aliases: ['io.kestra.core.tasks.storages.Split'],
  title: 'Split a stored file',
  description:
    'Cuts a file of internal storage into several by its lines: so many rows each, about so many bytes each, a number of partitions, or one per value of a pattern. Outputs their `uris`, ready for a ForEach to process each one.',
  properties,
  outputs: ['uris'],
  example: `id: split
type: io.kestra.plugin.core.storage.Split
from: "{{ outputs.download.uri }}"
rows: 1000`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    const from = ctx.renderString(props.from);
    const rule = readSplitRule((v) => ctx.renderString(v), props, undefined, (message) => new TaskError(`task "${ctx.task.id}" ${message}`));
    if (!rule) throw new TaskError(`task "${ctx.task.id}": set one of rows, bytes, partitions or regexPattern to say how to split`);
    const separator = renderOptional(ctx, props.separator) ?? '\n';
    const dir = await ctx.workingDir();
    const files = await splitLines(openStored(ctx, from, 'from'), dir, extensionOf(from), separator, rule);
    const uris: string[] = [];
    for (const file of files) uris.push(await ctx.putFile(file));
    return { outputs: { uris } };
  },
};
