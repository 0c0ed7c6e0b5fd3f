/**
 * Every event the engine publishes, and the bus that carries them. The CLI, the persister
 * and (through the persister) the browser all subscribe to the same bus; the browser sees
 * these shapes as they are, through lib/contract.
 */
import type { State } from '../model/states';
import type { LogLevel } from '../model/log';
import type { RunMode } from './plan';

export type { LogLevel } from '../model/log';

export interface LogLine {
  executionId: string;
  /** Absent for execution-level lines (queued, concurrency, start/end). */
  taskRunId?: string;
  taskId?: string;
  level: LogLevel;
  message: string;
  /** ISO-8601 timestamp of when the line was printed. */
  at: string;
}

export interface TaskRun {
  id: string;
  executionId: string;
  taskId: string;
  /** Parent task run for children of flowable tasks (If, ForEach, ...). */
  parentTaskRunId?: string;
  /** ForEach value / Switch case this run belongs to. */
  value?: string;
  iteration?: number;
  state: State;
  attempt: number;
  startDate?: string;
  endDate?: string;
  outputs?: Record<string, unknown>;
  /** Runner-specific facts worth showing: container id, runner name, working dir. */
  details?: Record<string, string>;
  error?: string;
}

/**
 * Where an execution comes from: the notebook it belongs to, how it was started, the YAML
 * it runs and each task's fingerprints at that moment (for staleness). It travels with the
 * run request and on every execution event, so whoever stores events learns it from the
 * event itself. Executions started without one (the CLI) belong to no notebook.
 */
export interface ExecutionOrigin {
  notebookId: string;
  mode: RunMode['kind'];
  targetTaskId?: string;
  flowYaml: string;
  /** taskId → hashes of the task and the flow parts it uses, at start. */
  cellHashes: Readonly<Record<string, { source: string; context: string }>>;
  /** The Schedule trigger and the date (ISO) it ran as, when it ran as one. */
  trigger?: { id: string; date: string };
}

export interface ExecutionSnapshot {
  id: string;
  origin?: ExecutionOrigin;
  namespace: string;
  flowId: string;
  state: State;
  labels: Record<string, string>;
  inputs: Record<string, unknown>;
  startDate: string;
  endDate?: string;
  error?: string;
}

export interface MetricEntry {
  executionId: string;
  taskRunId: string;
  name: string;
  type: 'counter' | 'timer' | 'gauge';
  value: number;
  tags: Record<string, string>;
}

export type EngineEvent =
  | { kind: 'execution'; execution: ExecutionSnapshot }
  | { kind: 'taskrun'; taskRun: TaskRun }
  | { kind: 'log'; log: LogLine }
  | { kind: 'metric'; metric: MetricEntry };

export type EngineEventListener = (event: EngineEvent) => void;

/**
 * The one bus every door listens to. Synchronous fan-out keeps event order exactly the
 * order of emission; a listener that needs I/O queues it itself.
 */
export class EventBus {
  private listeners = new Set<EngineEventListener>();

  subscribe(listener: EngineEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A broken subscriber must never break the run that emitted the event.
        console.error('event listener failed:', err);
      }
    }
  }
}
