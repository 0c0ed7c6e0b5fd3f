/**
 * What a task is (its declaration as data) and what it may use while it runs (RunContext).
 * The notebook's explanations, validation and docs all read from TaskDefinition.
 */
import type { LocalStorage, TaskScope } from '../storage/storage';
import type { LogLevel } from '../model/log';
import type { State, TerminalState } from '../model/states';
import type { HostAliases } from '../config/host-aliases';
import type { KvStore } from '../storage/kv';
import type { RunnerSettings } from '../runners/types';

import type { InputSpec, RawTask } from '../flow/types';
import type { LazySchema } from './schema';

export type { RawTask };

export interface TaskLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  log(level: LogLevel, message: string): void;
}

export interface RunContext {
  readonly scope: TaskScope;
  readonly task: RawTask;
  readonly attempt: number;
  /** Renders a value the Kestra way: strings through Pebble, maps and lists element-wise. */
  render(value: unknown, extraVars?: Record<string, unknown>): unknown;
  /** Renders and requires a string (numbers and booleans are stringified). */
  renderString(value: unknown, extraVars?: Record<string, unknown>): string;
  /** The full variables map (flow, execution, inputs, outputs, vars, ...). */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly logger: TaskLogger;
  readonly storage: LocalStorage;
  readonly kv: KvStore;
  readonly hostAliases: HostAliases;
  /** Aborted on cancel, kill or timeout: tasks stop their processes and statements. */
  readonly signal: AbortSignal;
  /** A fresh temp working directory for this task run, created on first call. */
  workingDir(): Promise<string>;
  /** Stores a local file as this task run's output; returns its kestra:/// URI. */
  putFile(localPath: string, name?: string): Promise<string>;
  metric(name: string, type: 'counter' | 'timer' | 'gauge', value: number, tags?: Record<string, string>): void;
  /** Adds a value to the secret mask for this execution's logs and outputs. */
  maskSecret(value: string): void;
  /** Records a runner fact (container id, runner name) shown on the task run. */
  setDetail(key: string, value: string): void;
  /** Engine configuration a task may need (default runner, fetch cap, Docker settings). */
  readonly config: EngineSettings;
  /** The execution's own variables (SetVariables, UnsetVariables): later tasks read them as `vars`, over the flow's `variables`. */
  readonly executionVariables: ExecutionVariables;
  /** Ends this execution now in `state` (the Exit task): later tasks do not start, running ones stop. */
  endExecution(state: ExitState | 'KILLED'): void;
  /** Kills an execution the engine runs, this one included (the Kill task); false when it is not running. */
  killExecution(executionId: string): boolean;
  /** Log lines of an execution (this one, or another the engine knows), oldest first; for log.Fetch. */
  fetchLogs(query: LogQuery): Promise<readonly TaskLogLine[]>;
  /** Resumes a PAUSED execution this engine runs (the Resume task); throws when it is unknown or not paused. */
  resumeExecution(executionId: string, inputs: Record<string, unknown>): Promise<void>;
  /**
   * Starts an execution of another flow, as Kestra's executable tasks (Subflow, ForEachItem) do:
   * its own id, this execution as its trigger. Fails when no flow has that namespace and id.
   */
  startSubflow(request: SubflowRequest): Promise<SubflowRun>;
}

/** What a Subflow or ForEachItem asks the engine to start; every value is already rendered. */
export interface SubflowRequest {
  namespace: string;
  flowId: string;
  /** Inputs for the child flow; those it does not declare are dropped with a warning, as in Kestra. */
  inputs: Record<string, unknown>;
  /** Labels the task adds to the child execution (no `system.` keys). */
  labels: Record<string, string>;
  /** Kestra's `inheritLabels`: the child gets this execution's labels, else only its `system.` ones (the correlation id). */
  inheritLabels: boolean;
  /** ForEachItem's batch number, the child's `trigger.taskRunIteration`. */
  iteration?: number;
}

/** A started child execution. */
export interface SubflowRun {
  executionId: string;
  /** Settles when the child ends; a kill of this task run (while awaited) kills the child too. */
  done: Promise<SubflowOutcome>;
}

export interface SubflowOutcome {
  executionId: string;
  state: TerminalState;
  /** The child flow's `outputs:`, rendered at its end (empty when it failed). */
  outputs: Record<string, unknown>;
}

/** The states the Exit task may end an execution in, besides KILLED (a kill). */
export type ExitState = 'SUCCESS' | 'WARNING' | 'FAILED' | 'CANCELLED';

/** Kestra's `execution.variables`: kept by the engine, replaced whole by the tasks that change them. */
export interface ExecutionVariables {
  current(): Readonly<Record<string, unknown>>;
  replace(next: Record<string, unknown>): void;
}

export interface LogQuery {
  executionId: string;
}

/** A stored log line as log.Fetch reads it. */
export interface TaskLogLine {
  executionId: string;
  namespace?: string;
  flowId?: string;
  taskId?: string;
  taskRunId?: string;
  level: LogLevel;
  message: string;
  /** ISO-8601 time the line was printed. */
  at: string;
}

/** The runners' settings (default runner, Docker network and volumes, cache dir) and the tasks' own. */
export interface EngineSettings extends RunnerSettings {
  /** Row cap for fetchType FETCH results. */
  fetchCap: number;
}

export interface TaskResult {
  outputs: Record<string, unknown>;
  /** Defaults to SUCCESS. A task reports WARNING (stderr with warningOnStdErr) here. */
  state?: Extract<State, 'SUCCESS' | 'WARNING'>;
}

/** An error a task throws on purpose; the message is shown to the user as is. */
export class TaskError extends Error {
  constructor(
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TaskError';
  }
}

interface TaskDefinitionBase {
  /** Canonical Kestra type id, e.g. `io.kestra.plugin.core.log.Log`. */
  type: string;
  /** Older ids Kestra still accepts, e.g. `io.kestra.core.tasks.log.Log`. */
  aliases?: readonly string[];
  /** Short name in words: "Log a message". */
  title: string;
  /** One paragraph for learners: what the task does and when to use it. */
  description: string;
  /**
   * Schema for the raw YAML properties (before rendering). Any scalar may also be a
   * `{{ … }}` template string; build it with `dynamic()` from `./schema`.
   */
  properties: LazySchema;
  /**
   * The names of the outputs Kestra's task produces, read as `outputs.<id>.<name>` (from its
   * `Output` class). What lies below a name (a script's `vars.<key>`, `outputFiles['a.csv']`)
   * is the flow's business. The static reference check warns about any other name; absent
   * means not declared, and references to the task's outputs are not checked.
   */
  outputs?: readonly string[];
  /** A complete YAML example of the task. */
  example: string;
  /** Which property holds the cell's main code, for the notebook editor. */
  editor?: { property: string; language: 'sql' | 'python' | 'shell' | 'javascript' | 'yaml' | 'text' };
}

export interface RunnableTaskDefinition extends TaskDefinitionBase {
  kind: 'runnable';
  run(ctx: RunContext): Promise<TaskResult>;
}

/** How a child task run of a flowable is told apart from its siblings: its loop value, its loop iteration. */
export interface ChildRunOptions {
  /** Kestra's `taskrun.value`: set by ForEach on the tasks it runs once per value. */
  value?: string;
  /** Kestra's `taskrun.iteration`: set by LoopUntil on the tasks of each iteration. */
  iteration?: number;
}

/**
 * What a flowable task may do while it runs: run its children the ways Kestra's flowables do.
 * Which properties hold children is declared in lib/flow/children.ts; `errors`, `finally`,
 * `allowFailure` and `allowWarning` are handled by the engine for every flowable alike, so a
 * flowable only decides which children run, in which order and how often.
 */
export interface FlowableContext {
  readonly task: RawTask;
  readonly scope: TaskScope;
  /** This task run's own loop value (Kestra's `taskrun.value`), when it runs inside a ForEach. */
  readonly taskRunValue?: string;
  readonly logger: TaskLogger;
  readonly storage: LocalStorage;
  /** Aborted on kill (or an SLA that ends the execution): stop starting children. */
  readonly signal: AbortSignal;
  render(value: unknown, extraVars?: Record<string, unknown>): unknown;
  renderString(value: unknown, extraVars?: Record<string, unknown>): string;
  /** The outputs of this task run so far (`outputs.<id>` for its children and later tasks). */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Sets this task run's outputs: later tasks render with them as given, every secret masked where they are sent and stored. */
  setOutputs(outputs: Record<string, unknown>): void;
  /** Adds a value to the secret mask for this execution's logs and outputs. */
  maskSecret(value: string): void;
  /** Runs tasks one after the other; the first that fails stops the list. Returns their final state. */
  runTasks(tasks: readonly RawTask[], options?: ChildRunOptions): Promise<TerminalState>;
  /**
   * Runs `count` units with at most `limit` at once (0 or less: all at once). After a unit
   * fails no new one starts, as Kestra stops creating task runs once a child failed.
   */
  runConcurrently(count: number, limit: number, unit: (index: number) => Promise<TerminalState>): Promise<TerminalState>;
  /** Waits, the task run and the execution PAUSED meanwhile, as Kestra does between two loop iterations. */
  pauseFor(ms: number): Promise<void>;
  /** The Pause task: PAUSED (the execution too) until resumed by request or its deadline passes. */
  waitForResume(request: PauseRequest): Promise<PauseOutcome>;
  /**
   * One working directory shared by every child task of this task run (WorkingDirectory). The
   * children then render as Kestra's worker runs them: `taskrun` is this task run's, and their
   * own is `workerTaskrun`.
   */
  sharedWorkingDir(): Promise<string>;
  /** Stores a local file as this task run's output; returns its kestra:/// URI. */
  putFile(localPath: string, name?: string): Promise<string>;
}

/** How a Pause waits: the inputs a resume must carry, and when and how it ends by itself. */
export interface PauseRequest {
  /** `onResume`: typed like flow inputs; a resume's values are checked against them. */
  onResume: readonly InputSpec[];
  /** From the moment the task run paused; absent: it waits for a resume, however long. */
  deadline?: { afterMs: number; outcome: PauseEnd };
}

/** The state a Pause ends in when its deadline passes (Pause.Behavior, or FAILED for `timeout`). */
export type PauseEnd = Extract<TerminalState, 'SUCCESS' | 'WARNING' | 'FAILED' | 'CANCELLED'>;

export type PauseOutcome =
  | { by: 'request'; inputs: Record<string, unknown>; at: string }
  | { by: 'deadline'; outcome: PauseEnd; at: string }
  /** Refused by whoever was to resume it (the CLI's `--on-pause fail`): the Pause fails with `reason`. */
  | { by: 'refusal'; reason: string }
  | { by: 'kill' };

export interface FlowableTaskDefinition extends TaskDefinitionBase {
  kind: 'flowable';
  /** Its failure always ends WARNING, after its `errors` ran, as if `allowFailure: true` were set (AllowFailure). */
  failureIsWarning?: boolean;
  /**
   * Runs the main children and returns the state they end in (Kestra's `guessFinalState` of
   * the children; `finalState()` in lib/model/states.ts). Throwing fails the task run
   * without running its `errors`, as a flowable that cannot resolve its children does in Kestra.
   */
  run(ctx: FlowableContext): Promise<TerminalState>;
}

export type TaskDefinition = RunnableTaskDefinition | FlowableTaskDefinition;
