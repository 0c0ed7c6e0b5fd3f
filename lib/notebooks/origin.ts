/**
 * The origin a notebook's execution carries: the notebook, how it was started, the YAML it
 * runs and each cell's fingerprints at that moment (for staleness). Every way of starting a
 * notebook's execution (a run, a schedule, a backfill) builds it here and hands it to the
 * engine with the run request, so they are all stored alike.
 */
import { walkTasks, type FlowSpec } from '../flow';
import type { ExecutionOrigin } from '../engine';
import { contextHash, sourceHash } from './hashes';

export interface NotebookRunOrigin {
  notebookId: string;
  /** The notebook's YAML the execution runs. */
  yaml: string;
  /** The flow parsed from `yaml`. */
  flow: FlowSpec;
  mode?: ExecutionOrigin['mode'];
  targetTaskId?: string;
  /** The Schedule trigger and date the execution runs as. */
  trigger?: ExecutionOrigin['trigger'];
}

export function notebookOrigin(origin: NotebookRunOrigin): ExecutionOrigin {
  const { flow } = origin;
  return {
    notebookId: origin.notebookId,
    mode: origin.mode ?? 'all',
    targetTaskId: origin.targetTaskId,
    flowYaml: origin.yaml,
    cellHashes: Object.fromEntries(walkTasks(flow).map(({ task }) => [task.id, { source: sourceHash(task), context: contextHash(flow, task) }])),
    ...(origin.trigger ? { trigger: origin.trigger } : {}),
  };
}
