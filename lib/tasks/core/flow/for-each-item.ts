/**
 * ForEachItem: one child execution per batch of a stored file's lines (Kestra's
 * core/src/main/java/io/kestra/plugin/core/flow/ForEachItem.java). As in Kestra it is a
 * flowable with three internal tasks, so their task runs and outputs carry Kestra's names:
 * `<id>_split` (`splits`: a file listing the batch files), `<id>_items` (one child per batch:
 * `iterations` per state, `numberOfBatches`, `subflowOutputsBaseUri`) and `<id>_merge`
 * (`subflowOutputs`: the children's flow outputs, one Ion line per batch in batch order).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { dynamic, taskSchema } from '../../schema';
import { TaskError, type FlowableContext, type FlowableTaskDefinition, type RawTask, type RunContext, type RunnableTaskDefinition, type SubflowOutcome } from '../../types';
import { readProps } from '../props';
import { flowableSchema } from './common';
import { readSplitRule, splitLines, type SplitRule } from './batches';
import { childFlowProperties, childFlowSettings, logChildStarted, renderChildInputs, stateFromChild, waitForScheduleDate } from './subflow-common';
import { KESTRA_SCHEME, taskPrefix } from '../../../storage/storage';
import { toIonText } from '../../../template/ion';
import type { TerminalState } from '../../../model/states';

const TYPE = 'io.kestra.plugin.core.flow.ForEachItem';
const SPLIT_TYPE = `${TYPE}$ForEachItemSplit`;
const ITEMS_TYPE = `${TYPE}$ForEachItemExecutable`;
const MERGE_TYPE = `${TYPE}$ForEachItemMergeOutputs`;
const SPLIT = '_split';
const ITEMS = '_items';
const MERGE = '_merge';

const batchSchema = z
  .strictObject({
    rows: dynamic(z.number().int().min(1)).optional().describe('Lines per batch (default 1).'),
    bytes: z.string().optional().describe('Batches of about this size instead (`10MB`, `512KB`): a batch ends once it holds this much.'),
    partitions: dynamic(z.number().int().min(1)).optional().describe('This many batches instead, the lines dealt round robin.'),
    separator: z.string().optional().describe('What ends each line in a batch file (default a newline).'),
    regexPattern: z.string().optional().describe("One batch per value of the pattern's first group; lines that do not match are left out."),
  });

const BATCH_DESCRIPTION = 'How to cut the file into batches: by `rows` (default 1), `bytes`, `partitions` or `regexPattern`.';

const forEachItemProperties = flowableSchema(() => ({
  items: z.string().describe("The file to split, a `kestra:///` URI: a Download's `uri`, a query's stored result (`fetchType: STORE`), a FILE input. One item per line (Ion, JSON lines, CSV without header)."),
  batch: batchSchema.optional().describe(BATCH_DESCRIPTION),
  ...childFlowProperties,
}));

type ForEachItemProps = z.infer<ReturnType<typeof forEachItemProperties>>;

/** The properties the internal `_items` task is given: those of the ForEachItem that name and feed the child. */
const CHILD_KEYS = ['namespace', 'flowId', 'revision', 'inputs', 'labels', 'wait', 'transmitFailed', 'inheritLabels', 'scheduleDate'] as const;

export const forEachItem: FlowableTaskDefinition = {
  kind: 'flowable',
  type: TYPE,
  aliases: ['io.kestra.core.tasks.flows.ForEachItem'],
  title: 'Run a flow for each batch of a file',
  description:
    'Cuts a stored file (one item per line) into batches and starts one execution of another flow per batch, each with `{{ taskrun.items }}` (the batch file) and `{{ taskrun.iteration }}` (its number) in its `inputs`. Use it for large files: each batch runs, fails and is looked at on its own. Afterwards `{{ outputs.<id>_items.iterations }}` counts the children per end state and `{{ outputs.<id>_merge.subflowOutputs }}` is a file with the flow outputs of each child, one line per batch.',
  properties: forEachItemProperties,
  outputs: ['iterations', 'numberOfBatches', 'uri'],
  example: `id: each_order
type: io.kestra.plugin.core.flow.ForEachItem
items: "{{ outputs.extract.uri }}"
batch:
  rows: 3
namespace: company.team
flowId: orders
inputs:
  order: "{{ taskrun.items }}"`,
  async run(ctx) {
    const props: ForEachItemProps = readProps(forEachItemProperties, ctx);
    const id = ctx.task.id;
    const childProps = Object.fromEntries(CHILD_KEYS.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
    const tasks: RawTask[] = [
      { id: id + SPLIT, type: SPLIT_TYPE, items: props.items, batch: props.batch ?? {} },
      { id: id + ITEMS, type: ITEMS_TYPE, ...childProps },
      { id: id + MERGE, type: MERGE_TYPE },
    ];
    const state = await ctx.runTasks(tasks);
    // Flowbook also gives the ForEachItem task run the outputs the plugin documents (ForEachItem.Output).
    const items = internalOutputs(ctx, id + ITEMS);
    const merged = internalOutputs(ctx, id + MERGE);
    const outputs: Record<string, unknown> = {};
    if (items?.iterations !== undefined) outputs.iterations = items.iterations;
    if (items?.numberOfBatches !== undefined) outputs.numberOfBatches = items.numberOfBatches;
    if (merged?.subflowOutputs !== undefined) outputs.uri = merged.subflowOutputs;
    if (Object.keys(outputs).length > 0) ctx.setOutputs(outputs);
    return state;
  },
};

/** An internal task's outputs, read as the flow reads them (under this task run's loop value inside a ForEach). */
function internalOutputs(ctx: FlowableContext, taskId: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(ctx.renderString(`{{ outputs['${taskId}'] | json }}`));
  } catch {
    return undefined; // the task did not run (an earlier one failed)
  }
  if (!isMap(value)) return undefined;
  const own = ctx.taskRunValue;
  return own !== undefined && isMap(value[own]) ? value[own] : value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A sibling internal task's outputs as Kestra's ForEachItem.extractOutput reads them: under the
 * task id, then under each enclosing loop value (outermost first), as lib/engine/lineage.ts stores them.
 */
function siblingOutputs(ctx: RunContext, taskId: string): Record<string, unknown> | undefined {
  const outputs = ctx.variables.outputs;
  let node: unknown = isMap(outputs) ? outputs[taskId] : undefined;
  const parents = Array.isArray(ctx.variables.parents) ? [...(ctx.variables.parents as unknown[])].reverse() : [];
  for (const p of parents) {
    const value = isMap(p) && isMap(p.taskrun) ? p.taskrun.value : undefined;
    if (typeof value === 'string' && isMap(node) && isMap(node[value])) node = node[value];
  }
  return isMap(node) ? node : undefined;
}

function parentId(ctx: RunContext, suffix: string): string {
  return ctx.task.id.slice(0, ctx.task.id.length - suffix.length);
}

/** The batch rule, in Kestra's order of precedence: regexPattern, bytes, partitions, rows (default 1). */
function splitRule(ctx: RunContext, batch: z.infer<typeof batchSchema>): SplitRule {
  const owner = parentId(ctx, SPLIT);
  // With a default of 1 row there is always a rule.
  return readSplitRule((v) => ctx.renderString(v), batch, 1, (message) => new TaskError(`task "${owner}": batch.${message}`))!;
}

const splitProperties = taskSchema(() => ({
  items: z.string().describe('The file to split, a `kestra:///` URI.'),
  batch: batchSchema.optional().describe(BATCH_DESCRIPTION),
}));

/** ForEachItem's first internal task: the batch files, listed one URI a line in `splits`. */
export const forEachItemSplit: RunnableTaskDefinition = {
  kind: 'runnable',
  type: SPLIT_TYPE,
  title: 'Split the items into batches (part of ForEachItem)',
  description:
    'The first step ForEachItem runs by itself: it reads the file of `items` line by line and writes the batches as files of their own, then lists their URIs, one a line, in the file `splits`. It is not written in a flow; it shows as the task run `<id>_split` of a ForEachItem.',
  properties: splitProperties,
  outputs: ['splits'],
  example: `id: each_order_split
type: io.kestra.plugin.core.flow.ForEachItem$ForEachItemSplit
items: "{{ outputs.extract.uri }}"
batch:
  rows: 3`,
  async run(ctx) {
    const props = readProps(splitProperties, ctx);
    const uri = ctx.renderString(props.items).trim();
    if (!uri.startsWith(KESTRA_SCHEME)) {
      throw new TaskError(`task "${parentId(ctx, SPLIT)}": items: Unable to split the items from ${uri}, this is not an internal storage URI!`);
    }
    const rule = splitRule(ctx, props.batch ?? {});
    const separator = props.batch?.separator === undefined ? '\n' : ctx.renderString(props.batch.separator);
    const fileName = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
    const extension = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.')) : '.tmp';
    const dir = await ctx.workingDir();
    const files = await splitLines(ctx.storage.openRead(uri), dir, extension, separator, rule);
    const uris: string[] = [];
    for (const file of files) uris.push(await ctx.putFile(file));
    const list = path.join(dir, 'splits.txt');
    await fsp.writeFile(list, uris.join('\n'));
    ctx.logger.info(`${uris.length} batch${uris.length === 1 ? '' : 'es'} from ${uri}`);
    return { outputs: { splits: await ctx.putFile(list, 'splits.txt') } };
  },
};

const itemsProperties = taskSchema(() => childFlowProperties);

/** Terminal states Kestra counts before it ends the task run (ExecutableUtils.manageIterations). */
function terminalStateOf(iterations: Record<string, number>, transmitFailed: boolean): 'SUCCESS' | 'WARNING' | 'FAILED' {
  if (!transmitFailed) return 'SUCCESS';
  const worst: TerminalState = (iterations.FAILED ?? 0) > 0 ? 'FAILED' : (iterations.KILLED ?? 0) > 0 ? 'KILLED' : (iterations.WARNING ?? 0) > 0 ? 'WARNING' : 'SUCCESS';
  return stateFromChild(worst, true);
}

/** ForEachItem's second internal task: one child execution per batch, all started at once. */
export const forEachItemExecutable: RunnableTaskDefinition = {
  kind: 'runnable',
  type: ITEMS_TYPE,
  title: 'Run the flow for each batch (part of ForEachItem)',
  description:
    "The second step ForEachItem runs by itself: it starts one execution of the child flow per batch file, with `{{ taskrun.items }}` and `{{ taskrun.iteration }}` in the inputs, waits for them, and counts them per end state in `iterations`. It is not written in a flow; it shows as the task run `<id>_items` of a ForEachItem.",
  properties: itemsProperties,
  outputs: ['iterations', 'numberOfBatches', 'subflowOutputsBaseUri', 'uri'],
  example: `id: each_order_items
type: io.kestra.plugin.core.flow.ForEachItem$ForEachItemExecutable
namespace: company.team
flowId: orders
inputs:
  order: "{{ taskrun.items }}"`,
  async run(ctx) {
    const props = readProps(itemsProperties, ctx);
    const settings = childFlowSettings(ctx, props);
    const owner = parentId(ctx, ITEMS);
    const splitsUri = siblingOutputs(ctx, owner + SPLIT)?.splits;
    if (typeof splitsUri !== 'string') throw new TaskError(`task "${owner}": the batches of ${owner + SPLIT} are missing`);
    const batches = ctx.storage.readTextSync(splitsUri).split('\n').filter((l) => l.trim() !== '');
    const numberOfBatches = batches.length;
    await waitForScheduleDate(ctx, props.scheduleDate);
    const ownTaskRun = isMap(ctx.variables.taskrun) ? ctx.variables.taskrun : {};
    const runs = [];
    for (const [iteration, items] of batches.entries()) {
      const inputs = renderChildInputs(ctx, props.inputs, { taskrun: { ...ownTaskRun, items, iteration } });
      const run = await ctx.startSubflow({ namespace: settings.namespace, flowId: settings.flowId, inputs, labels: settings.labels, inheritLabels: settings.inheritLabels, iteration });
      logChildStarted(ctx, settings, run);
      runs.push(run);
    }
    ctx.setDetail('subflowExecutionIds', runs.map((r) => r.executionId).join(','));
    if (!settings.wait) return { outputs: { iterations: { CREATED: numberOfBatches }, numberOfBatches } };

    const base = `${KESTRA_SCHEME}${taskPrefix(ctx.scope)}`;
    const iterations: Record<string, number> = { CREATED: 0, RUNNING: 0 };
    let lastUri: string | undefined;
    const ends = await Promise.allSettled(runs.map((r) => r.done));
    for (const [iteration, end] of ends.entries()) {
      const child: SubflowOutcome = end.status === 'fulfilled' ? end.value : { executionId: runs[iteration].executionId, state: 'FAILED', outputs: {} };
      iterations[child.state] = (iterations[child.state] ?? 0) + 1;
      if (Object.keys(child.outputs).length > 0) {
        // Where Kestra's ForEachItemExecutable writes each child's flow outputs, merged by `_merge`.
        lastUri = await ctx.storage.putText(`${base}/${iteration}/outputs.ion`, `${toIonText(child.outputs)}\n`);
      }
    }
    const state = terminalStateOf(iterations, settings.transmitFailed);
    const outputs = { iterations, numberOfBatches, subflowOutputsBaseUri: taskPrefix(ctx.scope), ...(lastUri ? { uri: lastUri } : {}) };
    if (state === 'FAILED') {
      ctx.logger.error(`${iterations.FAILED ?? 0} failed and ${iterations.KILLED ?? 0} killed of ${numberOfBatches} subflow executions of ${settings.namespace}.${settings.flowId}`);
      throw new TaskError(`task "${owner}": subflow executions ended FAILED or KILLED: ${JSON.stringify(iterations)}`);
    }
    return { outputs, state };
  },
};

const mergeProperties = taskSchema(() => ({}));

/** ForEachItem's last internal task: the children's outputs in one file, in batch order. */
export const forEachItemMergeOutputs: RunnableTaskDefinition = {
  kind: 'runnable',
  type: MERGE_TYPE,
  title: 'Gather the outputs of each batch (part of ForEachItem)',
  description:
    "The last step ForEachItem runs by itself: it puts the flow outputs of every child execution into one Ion file, one line per batch in batch order, as `subflowOutputs`. Children whose flow declares no outputs add nothing. It is not written in a flow; it shows as the task run `<id>_merge` of a ForEachItem.",
  properties: mergeProperties,
  outputs: ['subflowOutputs'],
  example: `id: each_order_merge
type: io.kestra.plugin.core.flow.ForEachItem$ForEachItemMergeOutputs`,
  async run(ctx) {
    const owner = parentId(ctx, MERGE);
    const base = siblingOutputs(ctx, owner + ITEMS)?.subflowOutputsBaseUri;
    if (typeof base !== 'string') return { outputs: {} };
    const dir = ctx.storage.resolve(`${KESTRA_SCHEME}${base}`);
    const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
    const batches = entries.filter((e) => e.isDirectory() && /^\d+$/.test(e.name)).map((e) => Number(e.name)).sort((a, b) => a - b);
    if (batches.length === 0) return { outputs: {} };
    const work = await ctx.workingDir();
    const merged = path.join(work, 'outputs.ion');
    await fsp.writeFile(merged, '');
    for (const n of batches) await fsp.appendFile(merged, await fsp.readFile(path.join(dir, String(n), 'outputs.ion')));
    return { outputs: { subflowOutputs: await ctx.putFile(merged, 'outputs.ion') } };
  },
};
