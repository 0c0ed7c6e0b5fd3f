/**
 * Kestra's storage tasks on the items of an Ion file, one item a line
 * (core/src/main/java/io/kestra/plugin/core/storage/FilterItems.java, DeduplicateItems.java):
 * each line is read as a map whose fields the Pebble expression sees as variables.
 * Lines are copied to the output as they were written, never re-serialized.
 */
import path from 'node:path';
import * as z from 'zod';
import { dynamic, stringish, taskSchema } from '../../schema';
import { TaskError, type RunContext, type RunnableTaskDefinition } from '../../types';
import { fromIonText } from '../../../template/ion';
import { isMap } from '../../../template/values';
import { isTruthy } from '../truth';
import { readProps } from '../props';
import { LineWriter, readLines } from './lines';

/** An item's fields as template variables; a line that is not an Ion struct is an error naming it. */
function itemVariables(ctx: RunContext, line: string, index: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = fromIonText(line);
  } catch (err) {
    throw new TaskError(`task "${ctx.task.id}": item ${index + 1} is not valid Ion: ${line.slice(0, 200)}`, { cause: err });
  }
  if (!isMap(value)) throw new TaskError(`task "${ctx.task.id}": item ${index + 1} is not a struct: ${line.slice(0, 200)}`);
  return value;
}

async function outputFile(ctx: RunContext): Promise<string> {
  return path.join(await ctx.workingDir(), `${ctx.task.id}-${Math.random().toString(36).slice(2, 10)}.ion`);
}

const FILTER_TYPES = ['INCLUDE', 'EXCLUDE'] as const;
const ERROR_OR_NULL = ['FAIL', 'INCLUDE', 'EXCLUDE'] as const;

const filterProperties = taskSchema(() => ({
  from: stringish.describe('The `kestra://` URI of an Ion file, one item a line.'),
  filterCondition: z.string().describe('A Pebble expression per item, its fields as variables: `{{ (product_id | number) == 20 }}`. Truthy as Kestra reads it.'),
  filterType: dynamic(z.enum(FILTER_TYPES)).optional().describe('INCLUDE (default) keeps the items that match; EXCLUDE drops them.'),
  errorOrNullBehavior: dynamic(z.enum(ERROR_OR_NULL)).optional().describe('When the expression fails on an item: FAIL the task (default), INCLUDE or EXCLUDE the item.'),
}));

function oneOf<T extends string>(ctx: RunContext, raw: unknown, allowed: readonly T[], fallback: T, property: string): T {
  if (raw === undefined || raw === null) return fallback;
  const text = ctx.renderString(raw).trim();
  const found = allowed.find((a) => a === text);
  if (!found) throw new TaskError(`task "${ctx.task.id}" ${property}: "${text}" is not one of ${allowed.join(', ')}`);
  return found;
}

export const filterItems: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.FilterItems',
  aliases: ['io.kestra.core.tasks.storages.FilterItems'],
  title: 'Filter the items of a stored file',
  description:
    'Reads an Ion file item by item, keeps or drops each one by a Pebble condition on its fields, and writes the kept items to a new file (`uri`), with the counts `processedItemsTotal` and `droppedItemsTotal`. Use it to narrow a query result or a converted CSV before the next step.',
  properties: filterProperties,
  outputs: ['uri', 'processedItemsTotal', 'droppedItemsTotal'],
  example: `id: filter
type: io.kestra.plugin.core.storage.FilterItems
from: "{{ outputs.query.uri }}"
filterCondition: "{{ (product_id | number) == 20 }}"
filterType: INCLUDE`,
  async run(ctx) {
    const props = readProps(filterProperties, ctx);
    const from = ctx.renderString(props.from);
    const filterType = oneOf(ctx, props.filterType, FILTER_TYPES, 'INCLUDE', 'filterType');
    const onError = oneOf(ctx, props.errorOrNullBehavior, ERROR_OR_NULL, 'FAIL', 'errorOrNullBehavior');
    const file = await outputFile(ctx);
    const out = new LineWriter(file);
    let processed = 0;
    let dropped = 0;
    try {
      for await (const line of readLines(ctx, from, 'from')) {
        const vars = itemVariables(ctx, line, processed);
        let keep: boolean;
        try {
          const match = isTruthy(ctx.renderString(props.filterCondition, vars));
          keep = filterType === 'INCLUDE' ? match : !match;
        } catch (err) {
          // FilterItems.java: on an error the behaviour decides the action, and the item counts as matched.
          if (onError === 'FAIL') throw new TaskError(`task "${ctx.task.id}" filterCondition failed on item ${processed + 1} (${line.slice(0, 200)}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
          keep = onError === 'INCLUDE';
        }
        if (keep) await out.write(line + '\n');
        else dropped++;
        processed++;
      }
    } finally {
      await out.close();
    }
    return { outputs: { uri: await ctx.putFile(file), processedItemsTotal: processed, droppedItemsTotal: dropped } };
  },
};

const dedupProperties = taskSchema(() => ({
  from: stringish.describe('The `kestra://` URI of an Ion file, one item a line.'),
  expr: z.string().describe('A Pebble expression giving each item its key, its fields as variables: `{{ customer_email }}`.'),
}));

export const deduplicateItems: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.storage.DeduplicateItems',
  aliases: ['io.kestra.core.tasks.storages.DeduplicateItems'],
  title: 'Deduplicate the items of a stored file',
  description:
    'Keeps only the last item for each key of an Ion file, in the file\'s order, and writes them to a new file (`uri`), with `numKeys`, `processedItemsTotal` and `droppedItemsTotal`. Reads the file twice rather than holding it in memory.',
  properties: dedupProperties,
  outputs: ['uri', 'numKeys', 'processedItemsTotal', 'droppedItemsTotal'],
  example: `id: dedup
type: io.kestra.plugin.core.storage.DeduplicateItems
from: "{{ outputs.csv_to_ion.uri }}"
expr: "{{ customer_email }}"`,
  async run(ctx) {
    const props = readProps(dedupProperties, ctx);
    const from = ctx.renderString(props.from);
    const key = (line: string, index: number) => ctx.renderString(props.expr, itemVariables(ctx, line, index));
    // First pass: each key's last offset (DeduplicateItems.java keeps the last occurrence).
    const last = new Map<string, number>();
    let offset = 0;
    for await (const line of readLines(ctx, from, 'from')) last.set(key(line, offset), offset++);
    const file = await outputFile(ctx);
    const out = new LineWriter(file);
    let processed = 0;
    let dropped = 0;
    try {
      for await (const line of readLines(ctx, from, 'from')) {
        if (last.get(key(line, processed)) === processed) await out.write(line + '\n');
        else dropped++;
        processed++;
      }
    } finally {
      await out.close();
    }
    return { outputs: { uri: await ctx.putFile(file), numKeys: last.size, processedItemsTotal: processed, droppedItemsTotal: dropped } };
  },
};
