/**
 * One execution: walks the flow's tasks the way Kestra's executor does (a failure stops a
 * list, flowable tasks run their children, `errors` then `finally` run where they are
 * declared) and reports every state change and log line on the bus. Every state change of
 * the execution and of its task runs goes through `transition()` (lib/model/states.ts).
 */
import { deepMerge } from '../model/maps';
import type { ExitState } from '../tasks/types';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { childPropertyNames, isFlowableType, type FlowSpec } from '../flow';
import type { TemplateHost } from '../template';
import { evaluateExpression, renderValue } from '../template';
import { getTaskDefinition } from '../tasks/registry';
import { isTruthy } from '../tasks/core/truth';
import type { ChildRunOptions, EngineSettings, FlowableContext, FlowableTaskDefinition, LogQuery, RawTask, RunnableTaskDefinition, SubflowRequest, SubflowRun, TaskLogLine } from '../tasks/types';
import type { PauseOutcome, PauseRequest } from '../tasks/types';
import { PausedTaskRuns } from './pauses';
import type { SubflowParent } from './subflows';
import type { EventBus, ExecutionSnapshot, LogLevel, LogLine, TaskRun } from './events';
import type { LocalStorage } from '../storage/storage';
import type { KvStore } from '../storage/kv';
import type { HostAliases } from '../config/host-aliases';
import { endEvent, finalState, isTerminal, transition, type StateEvent, type TerminalState } from '../model/states';
import { applyPluginDefaults } from '../flow/plugin-defaults';
import { parseRetry, type RetryPolicy } from './retry';
import { parseDurationMs } from '../model/duration';
import { TaskRunContext } from './run-context';
import type { SecretMasker } from './secret-mask';
import { newId } from '../model/ids';
import { childLineage, outputKeys, parentsOf, ROOT, storeOutputs, storeTaskState, type Lineage } from './lineage';
import { executionLabelVariables } from './labels';
import type { InputSpec } from '../flow';

export { isTruthy };

export interface ExecutionDeps {
  bus: EventBus;
  storage: LocalStorage;
  kv: KvStore;
  hostAliases: HostAliases;
  settings: EngineSettings;
  masker: SecretMasker;
  host: TemplateHost;
  tmpRoot: string;
  /** Logs of other executions, for log.Fetch; the engine answers for the executions it runs. */
  fetchLogs(query: LogQuery): Promise<readonly TaskLogLine[]>;
  /** Resumes a PAUSED execution the engine runs (the Resume task). */
  resumeExecution(executionId: string, inputs: Record<string, unknown>): Promise<void>;
  /** Kills another execution the engine runs (the Kill task); false when it is not running. */
  killExecution(executionId: string): boolean;
  /** Starts a child execution for a Subflow or ForEachItem task run; `warn` logs on that task run. */
  startSubflow(parent: SubflowParent, request: SubflowRequest, signal: AbortSignal, warn: (message: string) => void): Promise<SubflowRun>;
}

/** Why the execution stops early: a kill, an SLA whose behavior ends it FAILED or CANCELLED, a Pause with `behavior: CANCEL`, or an Exit task. */
type Stop = { kind: 'kill' } | { kind: 'sla'; state: 'FAILED' | 'CANCELLED' } | { kind: 'pause'; state: 'CANCELLED' } | { kind: 'exit'; state: ExitState };

const FLOWABLE_CHILD_KEYS = new Set(['then', 'else', 'tasks', 'cases', 'defaults', 'errors', 'finally']);

function taskList(value: unknown): RawTask[] {
  return Array.isArray(value) ? value.filter((t): t is RawTask => typeof t === 'object' && t !== null && typeof (t as RawTask).id === 'string') : [];
}

export class ExecutionRun {
  readonly snapshot: ExecutionSnapshot;
  readonly taskRuns = new Map<string, TaskRun>();
  /** Outputs by task id; inside loops, under every enclosing value (lib/engine/lineage.ts). */
  readonly outputs: Record<string, Record<string, unknown>>;
  /** Every log line of this execution, for log.Fetch. */
  readonly logLines: LogLine[] = [];
  private readonly abort = new AbortController();
  private stop: Stop | undefined;
  private readonly taskStates: Record<string, Record<string, unknown>> = {};
  /** Flowable task runs under way: a kill moves them to KILLING while their children stop. */
  private readonly runningFlowables = new Set<TaskRun>();
  /** Task runs waiting for a retry or between loop iterations: the execution shows RETRYING or PAUSED meanwhile. */
  private retrying = 0;
  private paused = 0;
  /** Pause task runs waiting for a resume (lib/engine/pauses.ts). */
  private readonly pauses = new PausedTaskRuns();
  /**
   * Task runs stored by a previous server, when this run continues a paused execution after a
   * restart: each task finds its own (same task, parent, value, iteration) and is not run again
   * when it had ended (see runTask).
   */
  private readonly prior = new Map<string, TaskRun>();
  /** Kestra's `execution.variables`: what SetVariables set, read as `vars` over the flow's `variables`. */
  private ownVariables: Record<string, unknown> = {};
  /** Called after each task run ends, while the execution runs (EXECUTION_ASSERTION SLAs). */
  onTaskRunEnd: (() => void) | undefined;

  constructor(
    private readonly flow: FlowSpec,
    private readonly deps: ExecutionDeps,
    init: {
      id: string;
      inputs: Record<string, unknown>;
      labels: Record<string, string>;
      seedOutputs: Record<string, Record<string, unknown>>;
      /** A paused execution continued after a restart: its stored task runs. */
      prior?: readonly TaskRun[];
    },
    private readonly baseVariables: Record<string, unknown>,
  ) {
    this.outputs = structuredClone(init.seedOutputs);
    for (const tr of init.prior ?? []) this.prior.set(priorKey(tr.taskId, tr.parentTaskRunId, tr.value, tr.iteration), tr);
    this.snapshot = {
      id: init.id,
      namespace: flow.namespace,
      flowId: flow.id,
      // A continued execution is still PAUSED: it shows so until its Pause is resumed.
      state: init.prior ? 'PAUSED' : 'CREATED',
      labels: { ...init.labels },
      inputs: init.inputs,
      startDate: new Date().toISOString(),
    };
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Stops the execution: KILLING now (and every running flowable with it), KILLED once its task runs have stopped. */
  kill(): void {
    if (this.abort.signal.aborted) return;
    this.stop = { kind: 'kill' };
    if (!isTerminal(this.snapshot.state) && this.snapshot.state !== 'KILLING') this.moveExecution({ type: 'kill' });
    for (const tr of this.runningFlowables) {
      if (tr.state !== 'KILLING' && !isTerminal(tr.state)) {
        tr.state = transition(tr.state, { type: 'kill' });
        this.emitTaskRun(tr);
      }
    }
    this.abort.abort(new Error('killed'));
  }

  /** Stops the execution because an SLA says so; its running task runs end in the SLA's state. */
  stopForSla(state: 'FAILED' | 'CANCELLED'): void {
    if (this.abort.signal.aborted) return;
    this.stop = { kind: 'sla', state };
    this.abort.abort(new Error(`SLA: execution ${state}`));
  }

  /**
   * Ends the execution in `state` now, as Kestra's Exit task does (core/.../execution/Exit.java):
   * no later task starts, the running ones stop and end in that state, and KILLED is a kill.
   */
  exit(state: ExitState | 'KILLED'): void {
    if (state === 'KILLED') return this.kill();
    if (this.abort.signal.aborted) return;
    this.stop = { kind: 'exit', state };
    this.abort.abort(new Error(`Exit: execution ${state}`));
  }

  /** The state a task run or the execution ends in when stopped early. */
  stoppedState(): TerminalState {
    return this.stop === undefined || this.stop.kind === 'kill' ? 'KILLED' : this.stop.state;
  }

  log(level: LogLevel, message: string, taskRun?: TaskRun): void {
    this.publishLog({
      executionId: this.snapshot.id,
      taskRunId: taskRun?.id,
      taskId: taskRun?.taskId,
      level,
      message: this.deps.masker.mask(message),
      at: new Date().toISOString(),
    });
  }

  /** This execution's ERROR lines as Kestra's LogEntry maps, oldest first: what errorLogs() returns. */
  errorLogEntries(): Record<string, unknown>[] {
    return this.logLines
      .filter((l) => l.level === 'ERROR')
      .map((l) => ({
        namespace: this.flow.namespace,
        flowId: this.flow.id,
        taskId: l.taskId ?? null,
        executionId: l.executionId,
        taskRunId: l.taskRunId ?? null,
        attemptNumber: l.taskRunId ? (this.taskRuns.get(l.taskRunId)?.attempt ?? 1) : null,
        timestamp: l.at,
        level: l.level,
        message: l.message,
      }));
  }

  private publishLog(line: LogLine): void {
    this.logLines.push(line);
    this.deps.bus.emit({ kind: 'log', log: line });
  }

  /** Tells every subscriber the execution as it is now. */
  announce(): void {
    this.deps.bus.emit({ kind: 'execution', execution: { ...this.snapshot, labels: { ...this.snapshot.labels } } });
  }

  /** Moves the execution through the state machine (an impossible move throws) and announces it. */
  moveExecution(event: StateEvent, error?: string): void {
    this.snapshot.state = transition(this.snapshot.state, event);
    if (error) this.snapshot.error = this.deps.masker.mask(error);
    if (isTerminal(this.snapshot.state)) this.snapshot.endDate = new Date().toISOString();
    this.announce();
  }

  /** Labels added while running (the Labels task, an SLA's `labels`); the new value wins per key. */
  mergeLabels(labels: Record<string, string>): void {
    Object.assign(this.snapshot.labels, labels);
    this.announce();
  }

  /** The execution-level variables (no task): what flow outputs and SLA assertions are rendered with. */
  executionVariables(): Record<string, unknown> {
    const vars = Object.keys(this.ownVariables).length === 0 ? this.baseVariables.vars : deepMerge(this.baseVariables.vars, this.ownVariables);
    return { ...this.baseVariables, vars, outputs: this.outputs, labels: executionLabelVariables(this.snapshot.labels), tasks: this.taskStates };
  }

  /**
   * The execution shows RETRYING while a task run waits for its next attempt and PAUSED while
   * a loop waits for its next iteration, as Kestra marks the execution with the task run.
   */
  private syncWaiting(): void {
    const s = this.snapshot.state;
    if (s !== 'RUNNING' && s !== 'RETRYING' && s !== 'PAUSED') return;
    const want = this.retrying > 0 ? 'RETRYING' : this.paused > 0 ? 'PAUSED' : 'RUNNING';
    if (want === s) return;
    if (s !== 'RUNNING') this.moveExecution(s === 'PAUSED' ? { type: 'resume' } : { type: 'start' });
    if (want === 'RETRYING') this.moveExecution({ type: 'retry' });
    else if (want === 'PAUSED') this.moveExecution({ type: 'pause' });
  }

  private emitTaskRun(tr: TaskRun): void {
    this.deps.bus.emit({ kind: 'taskrun', taskRun: { ...tr, details: tr.details ? { ...tr.details } : undefined } });
  }

  /** Runs the planned tasks; a whole-flow run also runs the flow's `errors` on failure and its `finally`. */
  async run(tasks: RawTask[], wholeFlow: boolean): Promise<TerminalState> {
    if (this.snapshot.state !== 'PAUSED') this.moveExecution({ type: 'start' });
    this.onTaskRunEnd?.();
    const main = () => this.runList(tasks, ROOT);
    const state = wholeFlow ? await this.runBlock(main, this.flow.errors, this.flow.finally, ROOT) : await main();
    return this.signal.aborted ? this.stoppedState() : state;
  }

  /**
   * The one place `errors` and `finally` are handled, for the flow and for every flowable
   * task alike: when the main part failed the `errors` tasks run, then `finally` runs in any
   * case (not after a kill). The block's state is the main part's (Kestra's guessFinalState
   * looks at the main tasks only).
   */
  private async runBlock(main: () => Promise<TerminalState>, errors: readonly RawTask[], finallyTasks: readonly RawTask[], lineage: Lineage): Promise<TerminalState> {
    const state = await main();
    if (this.signal.aborted) return this.stoppedState();
    if (state === 'FAILED' && errors.length > 0) await this.runList(errors, lineage);
    if (finallyTasks.length > 0 && !this.signal.aborted) await this.runList(finallyTasks, lineage);
    return this.signal.aborted ? this.stoppedState() : state;
  }

  /** Sequential list: stops at the first task that fails (allowFailure turns it into WARNING). */
  async runList(tasks: readonly RawTask[], lineage: Lineage, options: ChildRunOptions = {}): Promise<TerminalState> {
    const states: TerminalState[] = [];
    for (const task of tasks) {
      if (this.signal.aborted) return this.stoppedState();
      const state = await this.runTask(task, lineage, options);
      states.push(state);
      if (state === 'FAILED' || state === 'KILLED' || state === 'CANCELLED' || state === 'RETRIED') return state;
    }
    return finalState(states);
  }

  /**
   * Runs `count` units with at most `limit` at once (0 or less: all at once). Once a unit
   * failed no new unit starts, as Kestra creates no task run after a failure; those running go on.
   */
  async runPool(count: number, limit: number, unit: (index: number) => Promise<TerminalState>): Promise<TerminalState> {
    const states: TerminalState[] = [];
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < count && !failed && !this.signal.aborted) {
        const state = await unit(next++);
        states.push(state);
        if (state === 'FAILED' || state === 'KILLED' || state === 'CANCELLED') failed = true;
      }
    };
    const width = limit <= 0 ? count : Math.min(limit, count);
    await Promise.all(Array.from({ length: width }, worker));
    return this.signal.aborted ? this.stoppedState() : finalState(states);
  }

  private variablesFor(task: RawTask, tr: TaskRun, lineage: Lineage): Record<string, unknown> {
    const own = taskRunVariables(tr, lineage.ancestors[0]?.taskRun.id);
    const vars: Record<string, unknown> = { ...this.executionVariables(), task: { id: task.id, type: task.type }, taskrun: own };
    if (lineage.workerParent) {
      vars.taskrun = taskRunVariables(lineage.workerParent, lineage.ancestors[1]?.taskRun.id);
      vars.workerTaskrun = own;
    }
    const parents = parentsOf(lineage);
    vars.parents = parents;
    if (parents.length > 0) vars.parent = parents[0];
    return vars;
  }

  /**
   * `rendered` is what later tasks' templates read; `published` what the task run carries
   * to the bus (stored, sent, shown). They differ where a flowable's outputs hold a secret
   * a later task needs (a Pause's SECRET onResume input): only its mask leaves the engine.
   */
  private setOutputs(tr: TaskRun, lineage: Lineage, rendered: Record<string, unknown>, published: Record<string, unknown> = rendered): void {
    tr.outputs = published;
    storeOutputs(this.outputs, tr.taskId, outputKeys(lineage, tr), rendered);
  }

  async runTask(rawTask: RawTask, lineage: Lineage, options: ChildRunOptions = {}): Promise<TerminalState> {
    const def = getTaskDefinition(rawTask.type);
    const childKeys = isFlowableType(rawTask.type) ? childPropertyNames(rawTask) : FLOWABLE_CHILD_KEYS;
    const task = applyPluginDefaults(rawTask, this.flow.pluginDefaults, childKeys);
    if (task.disabled === true) {
      this.log('INFO', `task ${task.id} is disabled: skipped`);
      return 'SKIPPED';
    }
    const parentTaskRunId = lineage.ancestors[0]?.taskRun.id;
    const prior = this.takePrior(task.id, parentTaskRunId, options);
    if (prior && isTerminal(prior.state)) return this.keepEnded(prior, lineage);
    // A flowable under way or a Pause still waiting goes on as the same task run; anything else starts over.
    const continued = prior && (prior.state === 'PAUSED' || (prior.state === 'RUNNING' && def?.kind === 'flowable')) ? prior : undefined;
    if (prior && !continued) this.endLeftBehind(prior);
    const tr: TaskRun = continued ?? {
      id: newId(),
      executionId: this.snapshot.id,
      taskId: task.id,
      parentTaskRunId,
      ...(options.value !== undefined ? { value: options.value } : {}),
      ...(options.iteration !== undefined ? { iteration: options.iteration } : {}),
      state: 'CREATED',
      attempt: 1,
    };
    this.taskRuns.set(tr.id, tr);
    if (!continued) this.emitTaskRun(tr);

    let state: TerminalState;
    try {
      // Only a Pause's wait (pausedAt) continues PAUSED; a loop between iterations goes on RUNNING.
      if (continued?.state === 'PAUSED' && continued.details?.pausedAt === undefined) {
        tr.state = transition(tr.state, { type: 'resume' });
        this.emitTaskRun(tr);
      }
      if (continued) storeTaskState(this.taskStates, tr, tr.state);
      // runIf is decided before the task run starts (a continued one was started before the restart): a skipped task never runs (CREATED → SKIPPED).
      if (!continued && task.runIf !== undefined) {
        const vars = this.variablesFor(task, tr, lineage);
        const cond = typeof task.runIf === 'string' ? evaluateRunIf(task.runIf, vars, this.deps.host) : task.runIf;
        if (!isTruthy(cond)) {
          this.log('INFO', `runIf is false: task ${task.id} skipped`, tr);
          return this.finishTaskRun(tr, 'SKIPPED');
        }
      }
      if (!continued) {
        tr.state = transition(tr.state, { type: 'start' });
        tr.startDate = new Date().toISOString();
        storeTaskState(this.taskStates, tr, tr.state);
        this.emitTaskRun(tr);
      }
      if (!def) {
        throw new Error(`task type ${task.type} is not supported locally`);
      }
      state = def.kind === 'flowable' ? await this.runFlowable(def, task, tr, lineage) : await this.runRunnable(def, task, tr, lineage);
    } catch (err) {
      state = this.signal.aborted ? this.stoppedState() : 'FAILED';
      const message = err instanceof Error ? err.message : String(err);
      tr.error = this.deps.masker.mask(message);
      // The bare message, as Kestra's worker logs it (what errorLogs() then returns); the line carries the task.
      if (state === 'FAILED') this.log('ERROR', message, tr);
    }
    const failureAllowed = task.allowFailure === true || (def?.kind === 'flowable' && def.failureIsWarning === true);
    if (state === 'FAILED' && failureAllowed && !this.signal.aborted) {
      this.log('WARN', `${task.id} failed but allowFailure is true: the execution continues`, tr);
      state = 'WARNING';
    }
    if (state === 'WARNING' && task.allowWarning === true) state = 'SUCCESS';
    return this.finishTaskRun(tr, state);
  }

  private takePrior(taskId: string, parentTaskRunId: string | undefined, options: ChildRunOptions): TaskRun | undefined {
    const key = priorKey(taskId, parentTaskRunId, options.value, options.iteration);
    const prior = this.prior.get(key);
    this.prior.delete(key);
    return prior;
  }

  /** A task run that ended before the restart: its outputs and state count as they were, and it does not run again. */
  private keepEnded(prior: TaskRun, lineage: Lineage): TerminalState {
    const tr = { ...prior };
    this.taskRuns.set(tr.id, tr);
    if (tr.outputs) storeOutputs(this.outputs, tr.taskId, outputKeys(lineage, tr), tr.outputs);
    storeTaskState(this.taskStates, tr, tr.state);
    return tr.state as TerminalState;
  }

  /** A task run a restart interrupted (a branch that ran beside the Pause): it ends KILLED and its task starts over. */
  private endLeftBehind(prior: TaskRun): void {
    const tr = { ...prior, state: transition(prior.state, { type: 'killed' }), endDate: new Date().toISOString() };
    this.taskRuns.set(tr.id, tr);
    this.emitTaskRun(tr);
  }

  private finishTaskRun(tr: TaskRun, outcome: TerminalState): TerminalState {
    tr.state = transition(tr.state, endEvent(outcome));
    tr.endDate = new Date().toISOString();
    tr.startDate ??= tr.endDate;
    storeTaskState(this.taskStates, tr, tr.state);
    this.emitTaskRun(tr);
    if (!this.signal.aborted) this.onTaskRunEnd?.();
    return outcome;
  }

  /** A task's retry: its own, else the closest enclosing flowable's, else the flow's (Kestra's ExecutorService). */
  private retryOf(task: RawTask, lineage: Lineage): RetryPolicy | undefined {
    const own = parseRetry(task.retry, task.id);
    if (own) return own;
    for (const { task: parent } of lineage.ancestors) {
      const inherited = parseRetry(parent.retry, parent.id);
      if (inherited) return inherited;
    }
    return parseRetry(this.flow.retry, this.flow.id);
  }

  private contextFor(task: RawTask, tr: TaskRun, lineage: Lineage, signal: AbortSignal): TaskRunContext {
    return new TaskRunContext({
      scope: { namespace: this.flow.namespace, flowId: this.flow.id, executionId: this.snapshot.id, taskId: task.id, taskRunId: tr.id },
      task,
      attempt: tr.attempt,
      variables: this.variablesFor(task, tr, lineage),
      host: this.deps.host,
      storage: this.deps.storage,
      kv: this.deps.kv,
      hostAliases: this.deps.hostAliases,
      masker: this.deps.masker,
      settings: this.deps.settings,
      signal,
      tmpRoot: this.deps.tmpRoot,
      sharedWorkingDir: lineage.workingDir,
      fetchLogs: (query) => this.fetchLogs(query),
      resumeExecution: (executionId, inputs) => this.deps.resumeExecution(executionId, inputs),
      endExecution: (state) => this.exit(state),
      killExecution: (executionId) => {
        if (executionId !== this.snapshot.id) return this.deps.killExecution(executionId);
        this.kill();
        return true;
      },
      startSubflow: (request) => this.deps.startSubflow(this.subflowParent(task, tr), request, signal, (m) => this.log('WARN', m, tr)),
      onLog: (line) => this.publishLog(line),
      onMetric: (metric) => this.deps.bus.emit({ kind: 'metric', metric }),
      onDetail: (k, v) => {
        tr.details = { ...tr.details, [k]: v };
        this.emitTaskRun(tr);
      },
      executionVariables: {
        current: () => this.ownVariables,
        replace: (next) => {
          this.ownVariables = next;
        },
      },
    });
  }

  /** This task run as the parent of a child execution it starts. */
  private subflowParent(task: RawTask, tr: TaskRun): SubflowParent {
    return {
      executionId: this.snapshot.id,
      namespace: this.flow.namespace,
      flowId: this.flow.id,
      flowRevision: this.flow.revision,
      taskRunId: tr.id,
      taskId: task.id,
      taskType: task.type,
      ...(tr.value !== undefined ? { taskRunValue: tr.value } : {}),
      labels: { ...this.snapshot.labels },
    };
  }

  private async fetchLogs(query: LogQuery): Promise<readonly TaskLogLine[]> {
    if (query.executionId === this.snapshot.id) {
      return this.logLines.map((l) => ({ ...l, namespace: this.flow.namespace, flowId: this.flow.id }));
    }
    return this.deps.fetchLogs(query);
  }

  private async runRunnable(def: RunnableTaskDefinition, task: RawTask, tr: TaskRun, lineage: Lineage): Promise<TerminalState> {
    const retry = this.retryOf(task, lineage);
    const timeoutMs =
      task.timeout !== undefined
        ? parseDurationMs(renderValue(task.timeout, this.variablesFor(task, tr, lineage), this.deps.host), `task ${task.id}: timeout`)
        : undefined;
    const started = Date.now();
    for (;;) {
      const attemptAbort = new AbortController();
      const onStop = () => attemptAbort.abort(new Error('killed'));
      this.signal.addEventListener('abort', onStop, { once: true });
      let timedOut = false;
      const timer = timeoutMs !== undefined ? setTimeout(() => {
        timedOut = true;
        attemptAbort.abort(new Error('timeout'));
      }, timeoutMs) : undefined;
      const ctx = this.contextFor(task, tr, lineage, attemptAbort.signal);
      try {
        const result = await def.run(ctx);
        if (attemptAbort.signal.aborted) throw new Error(timedOut ? `timeout after ${task.timeout}` : 'killed');
        const outputs = this.deps.masker.maskValue(result.outputs);
        this.setOutputs(tr, lineage, outputs);
        // Labels is an ExecutionUpdatableTask in Kestra: its output merges into the execution's labels.
        if (def.type.endsWith('.execution.Labels') && outputs.labels) this.mergeLabels(labelsFrom(outputs.labels));
        const state = result.state ?? 'SUCCESS';
        // Kestra's Worker: a success that needed a retry is a WARNING when the retry says warningOnRetry.
        if (state === 'SUCCESS' && tr.attempt > 1 && retry?.warningOnRetry) {
          this.log('WARN', `${task.id} succeeded on attempt ${tr.attempt}: WARNING because of warningOnRetry`, tr);
          return 'WARNING';
        }
        return state;
      } catch (err) {
        const message = timedOut ? `task ${task.id} timed out after ${task.timeout}` : err instanceof Error ? err.message : String(err);
        if (this.signal.aborted) throw new Error(message);
        const elapsed = Date.now() - started;
        const canRetry = retry && tr.attempt < retry.maxAttempts && (retry.maxDurationMs === undefined || elapsed < retry.maxDurationMs);
        if (!canRetry) throw new Error(message, { cause: err });
        await this.waitForRetry(tr, retry, message);
        if (this.signal.aborted) throw new Error(message);
      } finally {
        if (timer) clearTimeout(timer);
        this.signal.removeEventListener('abort', onStop);
        const dir = ctx.createdWorkingDir();
        if (dir) await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }
    }
  }

  /** RUNNING → RETRYING (the execution too) for the retry delay, then RETRYING → RUNNING with the next attempt. */
  private async waitForRetry(tr: TaskRun, retry: RetryPolicy, message: string): Promise<void> {
    const delay = retry.delayMs(tr.attempt);
    if (retry.behavior === 'CREATE_NEW_EXECUTION') {
      this.log('WARN', 'retry behavior CREATE_NEW_EXECUTION is not available in Flowbook yet: the task is retried in this execution', tr);
    }
    this.log('WARN', `attempt ${tr.attempt} failed (${message}); retrying in ${Math.round(delay)} ms`, tr);
    tr.state = transition(tr.state, { type: 'retry' });
    this.emitTaskRun(tr);
    this.retrying++;
    this.syncWaiting();
    try {
      await sleep(delay, this.signal);
    } finally {
      this.retrying--;
    }
    if (this.signal.aborted) return;
    tr.state = transition(tr.state, { type: 'start' });
    tr.attempt += 1;
    this.emitTaskRun(tr);
    this.syncWaiting();
  }

  /**
   * The shared part of every flowable task: its definition decides which children run and
   * how (lib/tasks/core/flow); this runs them, then the flowable's own `errors` and
   * `finally` through runBlock, and leaves `allowFailure` to runTask as for any task.
   */
  private async runFlowable(def: FlowableTaskDefinition, task: RawTask, tr: TaskRun, lineage: Lineage): Promise<TerminalState> {
    const children = childLineage(lineage, task, tr);
    let ownDir: string | undefined;
    this.runningFlowables.add(tr);
    const vars = () => this.variablesFor(task, tr, lineage);
    const scope = { namespace: this.flow.namespace, flowId: this.flow.id, executionId: this.snapshot.id, taskId: task.id, taskRunId: tr.id };
    const logger = this.contextFor(task, tr, lineage, this.signal).logger;
    const ctx: FlowableContext = {
      task,
      scope,
      taskRunValue: tr.value,
      logger,
      storage: this.deps.storage,
      signal: this.signal,
      render: (value, extra) => renderValue(value, extra ? { ...vars(), ...extra } : vars(), this.deps.host),
      renderString: (value, extra) => stringOf(renderValue(value, extra ? { ...vars(), ...extra } : vars(), this.deps.host)),
      get outputs() {
        return tr.outputs ?? {};
      },
      setOutputs: (outputs) => {
        this.setOutputs(tr, lineage, outputs, this.deps.masker.maskValue(outputs));
        this.emitTaskRun(tr);
      },
      maskSecret: (value) => this.deps.masker.add(value),
      runTasks: (tasks, options) => this.runList(tasks, children, options),
      runConcurrently: (count, limit, unit) => this.runPool(count, limit, unit),
      pauseFor: (ms) => this.pauseTaskRun(tr, ms),
      waitForResume: (request) => this.waitForResume(tr, request),
      sharedWorkingDir: async () => {
        if (ownDir === undefined) {
          await fsp.mkdir(this.deps.tmpRoot, { recursive: true });
          ownDir = await fsp.mkdtemp(path.join(this.deps.tmpRoot, `${task.id}-`));
          children.workingDir = ownDir;
          children.workerParent = tr;
        }
        return ownDir;
      },
      putFile: (localPath, name) => this.deps.storage.putFile(this.deps.storage.taskFileUri(scope, name ?? path.basename(localPath)), localPath),
    };
    try {
      return await this.runBlock(() => def.run(ctx), taskList(task.errors), taskList(task.finally), children);
    } finally {
      this.runningFlowables.delete(tr);
      if (ownDir !== undefined) await fsp.rm(ownDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** The task run a resume by request would move on, when the execution waits at a Pause. */
  pausedTaskRun(): TaskRun | undefined {
    return this.pauses.first();
  }

  pausedOnResume(): readonly InputSpec[] | undefined {
    return this.pauses.firstOnResume();
  }

  /** Fails the first paused Pause with `reason` (it is not resumed). */
  refusePause(reason: string): void {
    this.pauses.refuse(this.snapshot.id, reason);
  }

  /** Resumes the first paused Pause with its onResume inputs; throws (leaving it PAUSED) when they do not fit. */
  resume(inputs: Record<string, unknown>): void {
    this.pauses.resume(this.snapshot.id, inputs);
  }

  /**
   * Pause.java: RUNNING → PAUSED (the execution too, as handlePausedDelay sets it) until a
   * resume or the deadline. Then, as ExecutionService.markAs: the execution goes PAUSED →
   * RESTARTED → RUNNING once no other task run is paused, or straight to CANCELLED for a
   * deadline whose behavior is CANCEL (nothing else runs); the task run's end is the Pause's.
   */
  private async waitForResume(tr: TaskRun, request: PauseRequest): Promise<PauseOutcome> {
    if (this.signal.aborted) return { by: 'kill' };
    if (tr.state !== 'PAUSED') {
      tr.state = transition(tr.state, { type: 'pause' });
      // Kept with the task run, so a restarted server counts the deadline from the same moment.
      tr.details = { ...tr.details, pausedAt: new Date().toISOString() };
      storeTaskState(this.taskStates, tr, tr.state);
      this.emitTaskRun(tr);
    }
    const pausedAt = Date.parse(tr.details?.pausedAt ?? '');
    this.paused++;
    this.syncWaiting();
    let outcome: PauseOutcome;
    try {
      outcome = await this.pauses.wait(tr, request, Number.isNaN(pausedAt) ? Date.now() : pausedAt, this.signal);
    } finally {
      this.paused--;
    }
    if (outcome.by === 'kill') return outcome;
    if (outcome.by === 'deadline' && outcome.outcome === 'CANCELLED') {
      this.stop = { kind: 'pause', state: 'CANCELLED' };
      this.abort.abort(new Error('Pause: execution CANCELLED'));
      return outcome;
    }
    if (this.snapshot.state === 'PAUSED' && this.paused === 0) {
      this.moveExecution({ type: 'restart' });
      this.moveExecution({ type: 'start' });
      this.syncWaiting();
    }
    return outcome;
  }

  /** RUNNING → PAUSED (the execution too) for `ms`, then back to RUNNING: Kestra's wait between loop iterations. */
  private async pauseTaskRun(tr: TaskRun, ms: number): Promise<void> {
    if (this.signal.aborted) return;
    tr.state = transition(tr.state, { type: 'pause' });
    this.emitTaskRun(tr);
    this.paused++;
    this.syncWaiting();
    try {
      await sleep(ms, this.signal);
    } finally {
      this.paused--;
    }
    if (this.signal.aborted) return;
    tr.state = transition(tr.state, { type: 'resume' });
    this.emitTaskRun(tr);
    this.syncWaiting();
  }
}

function priorKey(taskId: string, parentTaskRunId: string | undefined, value: string | undefined, iteration: number | undefined): string {
  return JSON.stringify([taskId, parentTaskRunId ?? null, value ?? null, iteration ?? null]);
}

/** Kestra's `taskrun` variable (RunVariables.of(TaskRun)): absent keys stay absent. */
function taskRunVariables(tr: TaskRun, parentId: string | undefined): Record<string, unknown> {
  const vars: Record<string, unknown> = { id: tr.id, startDate: tr.startDate, attemptsCount: tr.attempt - 1 };
  if (parentId !== undefined) vars.parentId = parentId;
  if (tr.value !== undefined) vars.value = tr.value;
  if (tr.iteration !== undefined) vars.iteration = tr.iteration;
  return vars;
}

function labelsFrom(labels: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(labels)) {
    for (const l of labels) {
      if (typeof l === 'object' && l !== null) {
        const { key, value } = l as Record<string, unknown>;
        out[String(key)] = String(value);
      }
    }
  } else if (typeof labels === 'object' && labels !== null) {
    for (const [k, v] of Object.entries(labels)) out[k] = String(v);
  }
  return out;
}

function stringOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function evaluateRunIf(expr: string, vars: Record<string, unknown>, host: TemplateHost): unknown {
  const trimmed = expr.trim();
  const m = /^\{\{([\s\S]*)\}\}$/.exec(trimmed);
  return m ? evaluateExpression(m[1], vars, host) : renderValue(expr, vars, host);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
