/**
 * What the persister needs to store an execution under its notebook: the notebook, how it
 * was started, the YAML it ran and each cell's fingerprints at that moment (for staleness).
 * Every way of starting a notebook's execution (a run, a schedule, a backfill) registers
 * through here, so they are stored alike.
 */
import { walkTasks, type FlowSpec } from '../flow';
import type { RunModeKind } from '../contract';
import type { EventPersister, ExecutionMeta } from '../persistence/persister';
import { contextHash, sourceHash } from './hashes';

export interface NotebookRunOrigin {
  notebookId: string;
  /** The notebook's YAML the execution runs. */
  yaml: string;
  /** The flow parsed from `yaml`; undefined when it could not be read (no fingerprints then). */
  flow: FlowSpec | undefined;
  mode?: RunModeKind;
  targetTaskId?: string;
}

export function notebookExecutionMeta(origin: NotebookRunOrigin): ExecutionMeta {
  const { flow } = origin;
  return {
    notebookId: origin.notebookId,
    mode: origin.mode ?? 'all',
    targetTaskId: origin.targetTaskId,
    flowYaml: origin.yaml,
    cellHashes: flow ? Object.fromEntries(walkTasks(flow).map(({ task }) => [task.id, { source: sourceHash(task), context: contextHash(flow, task) }])) : {},
  };
}

/**
 * Ties an execution to its notebook. Call it before engine.start with the id given to the
 * engine, or synchronously right after start returns: the persister looks the execution up
 * only after a database round trip for its first event, so either is in time.
 */
export function registerNotebookExecution(persister: Pick<EventPersister, 'register'>, executionId: string, origin: NotebookRunOrigin): void {
  persister.register(executionId, notebookExecutionMeta(origin));
}
