/**
 * One execution: walks the flow's tasks in order the way Kestra's executor does (flowable
 * tasks open their branches, a failure stops the list, `errors` then `finally` run), and
 * reports every state change and log line on the bus.
 */
import fsp from 'node:fs/promises';
import { childPropertyNames, isFlowableType, type FlowSpec } from '../flow';
import { listFrom } from '../flow/inputs';
import type { TemplateHost } from '../template';
import { evaluateExpression, renderValue } from '../template';
import { getTaskDefinition } from '../tasks/registry';
import type { EngineSettings, FlowableTaskDefinition, RawTask, RunnableTaskDefinition } from '../tasks/types';
import type { EventBus, ExecutionSnapshot, LogLevel, TaskRun } from './events';
import type { LocalStorage } from '../storage/storage';
import type { KvStore } from '../storage/kv';
import type { HostAliases } from '../config/host-aliases';
import { endEvent, isTerminal, transition, worstState, type State, type StateEvent, type TerminalState } from '../model/states';
import { applyPluginDefaults } from '../flow/plugin-defaults';
import { parseRetry } from './retry';
import { parseDurationMs } from '../model/duration';
import { TaskRunContext } from './run-context';
import type { SecretMasker } from './secret-mask';
import { newId } from '../model/ids';

/** Kestra's If truthiness: exactly these strings are false. */
export function isTruthy(rendered: unknown): boolean {
  const s = rendered === null || rendered === undefined ? '' : typeof rendered === 'object' ? JSON.stringify(rendered) : String(rendered);
  return !['false', '0', '-0', ''].includes(s.trim());
}

interface ParentInfo {
  taskRunId: string;
  value?: string;
  iteration?: number;
  /** The chain of parent values, innermost first, for `parents` in templates. */
  chain: { taskrun: { value?: string }; outputs: Record<string, unknown> }[];
}

export interface ExecutionDeps {
  bus: EventBus;
  storage: LocalStorage;
  kv: KvStore;
  hostAliases: HostAliases;
  settings: EngineSettings;
  masker: SecretMasker;
  host: TemplateHost;
  tmpRoot: string;
}

const FLOWABLE_CHILD_KEYS = new Set(['then', 'else', 'tasks', 'cases', 'defaults', 'errors', 'finally']);

export class ExecutionRun {
  readonly snapshot: ExecutionSnapshot;
  readonly taskRuns = new Map<string, TaskRun>();
  /** Outputs by task id; children of ForEach are keyed by value under their task id. */
  readonly outputs: Record<string, Record<string, unknown>>;
  private readonly abort = new AbortController();
  private readonly taskStates: Record<string, { state: State }> = {};

  constructor(
    private readonly flow: FlowSpec,
    private readonly deps: ExecutionDeps,
    init: {
      id: string;
      inputs: Record<string, unknown>;
      labels: Record<string, string>;
      trigger?: Record<string, unknown>;
      seedOutputs: Record<string, Record<string, unknown>>;
    },
    private readonly baseVariables: Record<string, unknown>,
  ) {
    this.outputs = structuredClone(init.seedOutputs);
    this.snapshot = {
      id: init.id,
      namespace: flow.namespace,
      flowId: flow.id,
      state: 'CREATED',
      labels: { ...init.labels },
      inputs: init.inputs,
      startDate: new Date().toISOString(),
    };
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  kill(): void {
    if (!this.abort.signal.aborted) this.abort.abort(new Error('killed'));
  }

  log(level: LogLevel, message: string, taskRun?: TaskRun): void {
    this.deps.bus.emit({
      kind: 'log',
      log: {
        executionId: this.snapshot.id,
        taskRunId: taskRun?.id,
        taskId: taskRun?.taskId,
        level,
        message: this.deps.masker.mask(message),
        at: new Date().toISOString(),
      },
    });
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

  private emitTaskRun(tr: TaskRun): void {
    this.deps.bus.emit({ kind: 'taskrun', taskRun: { ...tr, details: tr.details ? { ...tr.details } : undefined } });
  }

  /** Runs the planned tasks, then `errors` on failure and `finally` always (whole-flow runs only). */
  async run(tasks: RawTask[], wholeFlow: boolean): Promise<TerminalState> {
    this.moveExecution({ type: 'start' });
    let state = await this.runList(tasks, undefined);
    if (wholeFlow && state === 'FAILED' && this.flow.errors.length > 0 && !this.signal.aborted) {
      await this.runList(this.flow.errors, undefined);
    }
    if (wholeFlow && this.flow.finally.length > 0 && !this.signal.aborted) {
      const finallyState = await this.runList(this.flow.finally, undefined);
      state = worstState([state, finallyState]);
    }
    if (this.signal.aborted) state = 'KILLED';
    return state;
  }

  /** Sequential list: stops at the first task that fails (allowFailure turns it into WARNING). */
  async runList(tasks: RawTask[], parent: ParentInfo | undefined): Promise<TerminalState> {
    const states: State[] = [];
    for (const task of tasks) {
      if (this.signal.aborted) return 'KILLED';
      const state = await this.runTask(task, parent);
      states.push(state);
      if (state === 'FAILED' || state === 'KILLED') break;
    }
    return worstState(states);
  }

  /**
   * Runs `count` units with at most `limit` at once (0 or less: all at once). With
   * `stopOnFailure`, a failed unit ends the loop, as a sequential task list does.
   */
  private async runPool(count: number, limit: number, stopOnFailure: boolean, unit: (index: number) => Promise<TerminalState>): Promise<TerminalState> {
    const states: State[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count && !this.signal.aborted) {
        const state = await unit(next++);
        states.push(state);
        if (stopOnFailure && (state === 'FAILED' || state === 'KILLED')) return;
      }
    };
    const width = limit <= 0 ? count : Math.min(limit, count);
    await Promise.all(Array.from({ length: width }, worker));
    return this.signal.aborted ? 'KILLED' : worstState(states);
  }

  private variablesFor(task: RawTask, tr: TaskRun, parent: ParentInfo | undefined): Record<string, unknown> {
    const vars: Record<string, unknown> = {
      ...this.baseVariables,
      outputs: this.outputs,
      labels: { ...this.snapshot.labels },
      tasks: this.taskStates,
      task: { id: task.id, type: task.type },
      taskrun: {
        id: tr.id,
        startDate: tr.startDate,
        attemptsCount: tr.attempt - 1,
        parentId: parent?.taskRunId,
        value: parent?.value,
        iteration: parent?.iteration,
      },
    };
    if (parent) {
      vars.parents = parent.chain;
      vars.parent = parent.chain[0];
    }
    return vars;
  }

  private storeOutputs(taskId: string, parent: ParentInfo | undefined, outputs: Record<string, unknown>): void {
    if (parent?.value !== undefined) {
      const byValue = (this.outputs[taskId] ??= {});
      byValue[parent.value] = outputs;
    } else {
      this.outputs[taskId] = outputs;
    }
  }

  async runTask(rawTask: RawTask, parent: ParentInfo | undefined): Promise<TerminalState> {
    const def = getTaskDefinition(rawTask.type);
    const childKeys = isFlowableType(rawTask.type) ? childPropertyNames(rawTask) : FLOWABLE_CHILD_KEYS;
    const task = applyPluginDefaults(rawTask, this.flow.pluginDefaults, childKeys);
    if (task.disabled === true) {
      this.log('INFO', `task ${task.id} is disabled: skipped`);
      return 'SKIPPED';
    }
    const tr: TaskRun = {
      id: newId(),
      executionId: this.snapshot.id,
      taskId: task.id,
      parentTaskRunId: parent?.taskRunId,
      value: parent?.value,
      iteration: parent?.iteration,
      state: 'CREATED',
      attempt: 1,
    };
    this.taskRuns.set(tr.id, tr);
    this.emitTaskRun(tr);

    let state: TerminalState;
    try {
      // runIf is decided before the task run starts: a skipped task never runs (CREATED → SKIPPED).
      if (task.runIf !== undefined) {
        const vars = this.variablesFor(task, tr, parent);
        const cond = typeof task.runIf === 'string' ? evaluateRunIf(task.runIf, vars, this.deps.host) : task.runIf;
        if (!isTruthy(cond)) {
          this.log('INFO', `runIf is false: task ${task.id} skipped`, tr);
          return this.finishTaskRun(tr, 'SKIPPED');
        }
      }
      tr.state = transition(tr.state, { type: 'start' });
      tr.startDate = new Date().toISOString();
      this.taskStates[task.id] = { state: tr.state };
      this.emitTaskRun(tr);
      if (!def) {
        throw new Error(`task type ${task.type} is not supported locally`);
      }
      state = def.kind === 'flowable' ? await this.runFlowable(def, task, tr, parent) : await this.runRunnable(def, task, tr, parent);
    } catch (err) {
      state = this.signal.aborted ? 'KILLED' : 'FAILED';
      const message = err instanceof Error ? err.message : String(err);
      tr.error = this.deps.masker.mask(message);
      if (state === 'FAILED') this.log('ERROR', `${task.id}: ${message}`, tr);
    }
    if (state === 'FAILED' && task.allowFailure === true) {
      this.log('WARN', `${task.id} failed but allowFailure is true: the execution continues`, tr);
      state = 'WARNING';
    }
    if (state === 'WARNING' && task.allowWarning === true) state = 'SUCCESS';
    return this.finishTaskRun(tr, state);
  }

  private finishTaskRun(tr: TaskRun, outcome: TerminalState): TerminalState {
    tr.state = transition(tr.state, endEvent(outcome));
    tr.endDate = new Date().toISOString();
    tr.startDate ??= tr.endDate;
    this.taskStates[tr.taskId] = { state: tr.state };
    this.emitTaskRun(tr);
    return outcome;
  }

  private async runRunnable(def: RunnableTaskDefinition, task: RawTask, tr: TaskRun, parent: ParentInfo | undefined): Promise<TerminalState> {
    const retry = parseRetry(task.retry, task.id);
    const timeoutMs =
      task.timeout !== undefined
        ? parseDurationMs(renderValue(task.timeout, this.variablesFor(task, tr, parent), this.deps.host), `task ${task.id}: timeout`)
        : undefined;
    const started = Date.now();
    for (;;) {
      const attemptAbort = new AbortController();
      const onKill = () => attemptAbort.abort(new Error('killed'));
      this.signal.addEventListener('abort', onKill, { once: true });
      let timedOut = false;
      const timer = timeoutMs !== undefined ? setTimeout(() => {
        timedOut = true;
        attemptAbort.abort(new Error('timeout'));
      }, timeoutMs) : undefined;
      const ctx = new TaskRunContext({
        scope: { namespace: this.flow.namespace, flowId: this.flow.id, executionId: this.snapshot.id, taskId: task.id, taskRunId: tr.id },
        task,
        attempt: tr.attempt,
        variables: this.variablesFor(task, tr, parent),
        host: this.deps.host,
        storage: this.deps.storage,
        kv: this.deps.kv,
        hostAliases: this.deps.hostAliases,
        masker: this.deps.masker,
        settings: this.deps.settings,
        signal: attemptAbort.signal,
        tmpRoot: this.deps.tmpRoot,
        onLog: (line) => this.deps.bus.emit({ kind: 'log', log: line }),
        onMetric: (metric) => this.deps.bus.emit({ kind: 'metric', metric }),
        onDetail: (k, v) => {
          tr.details = { ...tr.details, [k]: v };
          this.emitTaskRun(tr);
        },
      });
      try {
        const result = await def.run(ctx);
        if (attemptAbort.signal.aborted) throw new Error(timedOut ? `timeout after ${task.timeout}` : 'killed');
        const outputs = this.deps.masker.maskValue(result.outputs);
        tr.outputs = outputs;
        this.storeOutputs(task.id, parent, outputs);
        // Labels is an ExecutionUpdatableTask in Kestra: its output merges into the execution's labels.
        if (def.type.endsWith('.execution.Labels') && outputs.labels) this.mergeLabels(outputs.labels);
        return result.state ?? 'SUCCESS';
      } catch (err) {
        const message = timedOut ? `task ${task.id} timed out after ${task.timeout}` : err instanceof Error ? err.message : String(err);
        if (this.signal.aborted) throw new Error(message);
        const elapsed = Date.now() - started;
        const canRetry = retry && tr.attempt < retry.maxAttempts && (retry.maxDurationMs === undefined || elapsed < retry.maxDurationMs);
        if (!canRetry) throw new Error(message, { cause: err });
        const delay = retry.delayMs(tr.attempt);
        this.log('WARN', `attempt ${tr.attempt} failed (${message}); retrying in ${Math.round(delay)} ms`, tr);
        await sleep(delay, this.signal);
        tr.attempt += 1;
        this.emitTaskRun(tr);
      } finally {
        if (timer) clearTimeout(timer);
        this.signal.removeEventListener('abort', onKill);
        const dir = ctx.createdWorkingDir();
        if (dir) await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }
    }
  }

  private mergeLabels(labels: unknown): void {
    const entries: [string, string][] = Array.isArray(labels)
      ? labels.map((l) => [String((l as Record<string, unknown>).key), String((l as Record<string, unknown>).value)])
      : Object.entries(labels as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
    for (const [k, v] of entries) this.snapshot.labels[k] = v;
    this.deps.bus.emit({ kind: 'execution', execution: { ...this.snapshot, labels: { ...this.snapshot.labels } } });
  }

  private async runFlowable(def: FlowableTaskDefinition, task: RawTask, tr: TaskRun, parent: ParentInfo | undefined): Promise<TerminalState> {
    const kind = def.type.slice(def.type.lastIndexOf('.') + 1);
    const vars = this.variablesFor(task, tr, parent);
    const render = (v: unknown) => renderValue(v, vars, this.deps.host);
    const child = (value?: string, iteration?: number, outputs: Record<string, unknown> = {}): ParentInfo => ({
      taskRunId: tr.id,
      value: value ?? parent?.value,
      iteration: iteration ?? parent?.iteration,
      chain: [{ taskrun: { value: value ?? parent?.value }, outputs }, ...(parent?.chain ?? [])],
    });
    const list = (v: unknown): RawTask[] => (Array.isArray(v) ? (v as RawTask[]) : []);
    const setOutputs = (outputs: Record<string, unknown>) => {
      tr.outputs = outputs;
      this.storeOutputs(task.id, parent, outputs);
      this.emitTaskRun(tr);
    };
    switch (kind) {
      case 'If': {
        const result = isTruthy(render(task.condition));
        setOutputs({ evaluationResult: result });
        const branch = list(result ? task.then : task.else);
        this.log('INFO', `condition is ${result}: running ${result ? 'then' : 'else'} (${branch.length} task${branch.length === 1 ? '' : 's'})`, tr);
        return branch.length === 0 ? 'SUCCESS' : this.runList(branch, child());
      }
      case 'Switch': {
        const value = String(render(task.value) ?? '');
        const cases = (task.cases ?? {}) as Record<string, unknown>;
        const matched = Object.prototype.hasOwnProperty.call(cases, value);
        setOutputs({ value, defaults: !matched });
        const branch = list(matched ? cases[value] : task.defaults);
        return branch.length === 0 ? 'SUCCESS' : this.runList(branch, child());
      }
      case 'Sequential':
        return this.runList(list(task.tasks), child());
      case 'Parallel': {
        const tasks = list(task.tasks);
        const branch = child();
        return this.runPool(tasks.length, Number(task.concurrent ?? 0), false, (i) => this.runTask(tasks[i], branch));
      }
      case 'ForEach':
      case 'EachSequential':
      case 'EachParallel': {
        const values = parseValues(render(task.values ?? task.value), task.id);
        const limit = kind === 'EachParallel' ? Number(task.concurrent ?? 0) : Number(task.concurrencyLimit ?? 1);
        return this.runPool(values.length, limit, limit === 1, (i) => {
          const v = values[i];
          return this.runList(list(task.tasks), child(typeof v === 'string' ? v : JSON.stringify(v), i));
        });
      }
      default:
        throw new Error(`flowable task type ${def.type} is not supported locally`);
    }
  }
}

function parseValues(value: unknown, taskId: string): unknown[] {
  const list = listFrom(value);
  if (list) return list;
  throw new Error(`task ${taskId}: values must be a list or a JSON array, got ${JSON.stringify(value)}`);
}

function evaluateRunIf(expr: string, vars: Record<string, unknown>, host: TemplateHost): unknown {
  const trimmed = expr.trim();
  const m = /^\{\{([\s\S]*)\}\}$/.exec(trimmed);
  return m ? evaluateExpression(m[1], vars, host) : renderValue(expr, vars, host);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

