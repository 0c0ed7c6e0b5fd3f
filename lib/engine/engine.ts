/**
 * The engine every door goes through: the browser's "run cell", the CLI and schedules.
 * It owns storage, KV, the concurrency queue and cancellation; each execution is an
 * ExecutionRun that reports on the bus.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { FlowSpec, InputSpec } from '../flow';
import { InputError, checkInputValue, isInputType, isTemplate, nestInputs, resolveInputs } from '../flow';
import { EventBus } from './events';
import type { ExecutionOrigin, TaskRun } from './events';
import { KESTRA_SCHEME, LocalStorage, executionPrefix } from '../storage/storage';
import { KvStore } from '../storage/kv';
import { HostAliases } from '../config/host-aliases';
import { runsDirOf } from '../config/runner-limits';
import { TaskError, type EngineSettings, type LogQuery, type SubflowOutcome, type SubflowRequest, type SubflowRun, type TaskLogLine } from '../tasks/types';
import { endEvent, isTerminal, type State, type TerminalState } from '../model/states';
import { DEFAULT_SETTINGS } from './run-context';
import { createTemplateHost, type SecretProvider } from './template-host';
import { SecretMasker } from './secret-mask';
import { protectSecretInputs, type SealSecretInput } from './secret-inputs';
import { ExecutionRun } from './execution-run';
import { newId } from '../model/ids';
import { Problem } from '../model/problem';
import { checkUpstream, planRun, type RunMode } from './plan';
import { triggerVariables } from './trigger-vars';
import { renderValue, type TemplateHost } from '../template';
import { initialLabels } from './labels';
import { SlaMonitor } from './sla';
import { childLabels, declaredInputs, subflowTrigger, type ExecutionTrigger, type FlowResolver, type SubflowParent } from './subflows';

export interface RunRequest {
  flow: FlowSpec;
  inputs?: Record<string, unknown>;
  labels?: Record<string, string>;
  triggerDate?: string;
  triggerId?: string;
  mode?: RunMode;
  seedOutputs?: Record<string, Record<string, unknown>>;
  executionId?: string;
  /** Carried on the execution's events; see ExecutionOrigin. */
  origin?: ExecutionOrigin;
  /**
   * Continues a PAUSED execution a previous server stored (same id, inputs and labels): its
   * ended task runs count as they were, and it waits again at its Pause (lib/engine/pauses.ts).
   */
  continueFrom?: { taskRuns: readonly TaskRun[]; startDate: string };
  /** Who started it when another execution did (a Subflow): its `trigger.*` variables. */
  trigger?: ExecutionTrigger;
}

export interface ExecutionResult {
  id: string;
  state: State;
  labels: Record<string, string>;
  inputs: Record<string, unknown>;
  taskRuns: TaskRun[];
  /** Task outputs by task id. */
  outputs: Record<string, Record<string, unknown>>;
  /** The flow's declared `outputs`, rendered at the end of a successful run. */
  flowOutputs: Record<string, unknown>;
  startDate: string;
  endDate: string;
  error?: string;
}

export interface EngineOptions {
  dataDir: string;
  bus?: EventBus;
  hostAliases?: HostAliases;
  settings?: Partial<EngineSettings>;
  secrets?: SecretProvider;
  /** Value masked in every log line of every execution, e.g. all stored secrets. */
  knownSecrets?: () => string[];
  /** Seals SECRET inputs for the execution's stored inputs; without it they are stored masked. */
  sealSecretInput?: SealSecretInput;
  /** Log lines of executions this engine no longer runs (stored ones), for log.Fetch. */
  storedLogs?: StoredLogs;
  /** Finds the flows Subflow and ForEachItem start; without it they fail with "Unable to find flow". */
  flows?: FlowResolver;
}

export type StoredLogs = (query: LogQuery) => Promise<readonly TaskLogLine[]>;

/** Subflow levels one execution tree may nest; a recursive flow that goes deeper fails its Subflow task. */
export const MAX_SUBFLOW_DEPTH = 50;

interface Slot {
  run: ExecutionRun;
  done: Promise<ExecutionResult>;
}

export class Engine {
  readonly bus: EventBus;
  readonly storage: LocalStorage;
  readonly kv: KvStore;
  readonly settings: EngineSettings;
  private readonly dataDir: string;
  private readonly active = new Map<string, Slot>();
  /** Executions waiting for a concurrency slot, per flow, FIFO. */
  private readonly queues = new Map<string, (() => void)[]>();
  private readonly runningPerFlow = new Map<string, number>();
  /** How many Subflow levels deep a running child execution is (absent: a top-level run). */
  private readonly subflowDepth = new Map<string, number>();

  constructor(private readonly opts: EngineOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.bus = opts.bus ?? new EventBus();
    this.storage = new LocalStorage(path.join(this.dataDir, 'storage'));
    fs.mkdirSync(this.storage.baseDir, { recursive: true });
    this.kv = new KvStore(this.storage);
    this.settings = { ...DEFAULT_SETTINGS, cacheDir: path.join(this.dataDir, 'cache'), runsDir: runsDirOf(this.dataDir), ...envSettings(), ...opts.settings };
  }

  get hostAliases(): HostAliases {
    return this.opts.hostAliases ?? new HostAliases();
  }

  /** Starts an execution; input errors and missing upstream outputs throw before anything runs. */
  start(req: RunRequest): { id: string; done: Promise<ExecutionResult> } {
    const flow = req.flow;
    const id = req.executionId ?? newId();
    const mode = req.mode ?? { kind: 'all' };
    const plan = planRun(flow, mode);
    const seedOutputs = req.seedOutputs ?? {};
    if (mode.kind !== 'all') checkUpstream(flow, plan, new Set(Object.keys(seedOutputs)));

    const masker = new SecretMasker();
    for (const s of this.opts.knownSecrets?.() ?? []) masker.add(s);
    // errorLogs() reads the ERROR lines of this execution; the run is made just below.
    const current: { run?: ExecutionRun } = {};
    const host = createTemplateHost({
      namespace: flow.namespace,
      secrets: this.opts.secrets,
      masker,
      kv: this.kv,
      storage: this.storage,
      errorLogs: () => current.run?.errorLogEntries() ?? [],
    });
    const labels = initialLabels(flow.labels, req.labels, id);
    const trigger = req.triggerDate ? triggerVariables(req.triggerDate, flow.triggers, req.triggerId) : undefined;
    const startDate = req.continueFrom?.startDate ?? new Date().toISOString();
    const base: Record<string, unknown> = {
      flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision },
      execution: { id, startDate, originalId: id },
      vars: flow.variables,
      envs: kestraEnvs(),
      globals: {},
      ...(trigger ? { trigger, schedule: trigger } : {}),
      ...(req.trigger ? { trigger: req.trigger.variables } : {}),
    };
    const resolved = renderInputDefaults(flow, req.inputs ?? {}, resolveInputs(flow.inputs, req.inputs ?? {}), base, host);
    const inputs = this.storeFileInputs(flow.inputs, flow, id, resolved);
    base.inputs = nestInputs(inputs);
    const run = new ExecutionRun(
      flow,
      {
        bus: this.bus,
        storage: this.storage,
        kv: this.kv,
        hostAliases: this.hostAliases,
        settings: this.settings,
        masker,
        host,
        tmpRoot: path.join(this.dataDir, 'tmp', id),
        fetchLogs: (query) => this.fetchLogs(query),
        resumeExecution: async (executionId, inputs) => this.resume(executionId, inputs),
        killExecution: (executionId) => this.cancel(executionId),
        startSubflow: (parent, request, signal, warn) => this.startSubflow(parent, request, signal, warn),
      },
      // Tasks render with the values (base.inputs); what the execution carries and stores holds SECRET inputs sealed.
      { id, inputs: protectSecretInputs(flow.inputs, inputs, masker, this.opts.sealSecretInput), labels, seedOutputs, prior: req.continueFrom?.taskRuns },
      base,
    );
    current.run = run;
    run.snapshot.startDate = startDate;
    if (req.origin) run.snapshot.origin = req.origin;
    const done = this.execute(run, flow, plan.tasks, plan.wholeFlow, host);
    this.active.set(id, { run, done });
    void done.finally(() => {
      this.active.delete(id);
      this.subflowDepth.delete(id);
    });
    return { id, done };
  }

  private async execute(run: ExecutionRun, flow: FlowSpec, tasks: FlowSpec['tasks'], wholeFlow: boolean, host: TemplateHost): Promise<ExecutionResult> {
    const key = `${flow.namespace}/${flow.id}`;
    run.announce();
    let state: TerminalState;
    const admitted = await this.admit(key, flow, run);
    if (admitted !== 'RUN') {
      state = admitted;
      run.moveExecution(endEvent(state), admitted === 'FAILED' ? 'Flow is FAILED due to concurrency limit exceeded' : undefined);
      return this.result(run, {});
    }
    let flowOutputs: Record<string, unknown> = {};
    // An SLA belongs to the flow: it watches whole-flow runs, not one cell run on its own.
    const sla = new SlaMonitor(wholeFlow ? flow.sla : [], run, host);
    try {
      run.log('INFO', run.snapshot.state === 'PAUSED'
        ? `execution ${run.snapshot.id} of ${flow.namespace}.${flow.id} continues after a restart: still PAUSED`
        : `execution ${run.snapshot.id} of ${flow.namespace}.${flow.id} started`);
      sla.start(Date.parse(run.snapshot.startDate));
      state = await run.run(tasks, wholeFlow);
      if (wholeFlow && (state === 'SUCCESS' || state === 'WARNING') && Array.isArray(flow.outputs)) {
        flowOutputs = this.renderFlowOutputs(flow, run, host);
      }
    } catch (err) {
      state = run.signal.aborted ? run.stoppedState() : 'FAILED';
      run.log('ERROR', err instanceof Error ? err.message : String(err));
    } finally {
      sla.stop();
      this.release(key);
      await fsp.rm(path.join(this.dataDir, 'tmp', run.snapshot.id), { recursive: true, force: true }).catch(() => undefined);
    }
    run.log(state === 'FAILED' || state === 'KILLED' ? 'ERROR' : 'INFO', `execution ended ${state}`);
    run.moveExecution(endEvent(state));
    return this.result(run, flowOutputs);
  }

  private renderFlowOutputs(flow: FlowSpec, run: ExecutionRun, host: TemplateHost): Record<string, unknown> {
    const vars = run.executionVariables();
    const out: Record<string, unknown> = {};
    for (const o of flow.outputs as Record<string, unknown>[]) {
      if (typeof o.id === 'string') out[o.id] = typedOutput(o, renderValue(o.value, vars, host));
    }
    return out;
  }

  private result(run: ExecutionRun, flowOutputs: Record<string, unknown>): ExecutionResult {
    const s = run.snapshot;
    return {
      id: s.id,
      state: s.state,
      labels: { ...s.labels },
      inputs: s.inputs,
      taskRuns: [...run.taskRuns.values()],
      outputs: run.outputs,
      flowOutputs,
      startDate: s.startDate,
      endDate: s.endDate ?? new Date().toISOString(),
      error: s.error,
    };
  }

  /** Kestra's flow concurrency: QUEUE waits FIFO, CANCEL and FAIL end the execution at once. */
  private async admit(key: string, flow: FlowSpec, run: ExecutionRun): Promise<'RUN' | 'CANCELLED' | 'FAILED' | 'KILLED'> {
    const limit = flow.concurrency?.limit;
    const running = this.runningPerFlow.get(key) ?? 0;
    // A paused execution continued after a restart held its slot before the restart: it keeps it.
    if (limit === undefined || running < limit || run.snapshot.state === 'PAUSED') {
      this.runningPerFlow.set(key, running + 1);
      return 'RUN';
    }
    const behavior = flow.concurrency?.behavior ?? 'QUEUE';
    if (behavior === 'CANCEL') {
      run.log('WARN', `Flow is CANCELLED due to concurrency limit exceeded, ${running} running(s)`);
      return 'CANCELLED';
    }
    if (behavior === 'FAIL') {
      run.log('ERROR', `Flow is FAILED due to concurrency limit exceeded, ${running} running(s)`);
      return 'FAILED';
    }
    run.moveExecution({ type: 'queue' });
    run.log('INFO', `Flow is queued due to concurrency limit exceeded, ${running} running(s)`);
    await new Promise<void>((resolve) => {
      const queue = this.queues.get(key) ?? [];
      queue.push(resolve);
      this.queues.set(key, queue);
      run.signal.addEventListener('abort', () => {
        const q = this.queues.get(key) ?? [];
        const i = q.indexOf(resolve);
        if (i >= 0) q.splice(i, 1);
        resolve();
      }, { once: true });
    });
    if (run.signal.aborted) return 'KILLED';
    return 'RUN';
  }

  private release(key: string): void {
    const next = this.queues.get(key)?.shift();
    if (next) next(); // the slot passes straight to the next queued execution
    else this.runningPerFlow.set(key, Math.max(0, (this.runningPerFlow.get(key) ?? 1) - 1));
  }

  /**
   * FILE inputs (of the flow, or of a Pause's `onResume`) given as local paths are copied
   * into the execution's storage, as Kestra uploads them, so tasks see a
   * `kestra:///…/inputs/<id>/<file>` URI.
   */
  private storeFileInputs(specs: readonly InputSpec[], flow: { namespace: string; id: string }, executionId: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const out = { ...inputs };
    for (const spec of specs) {
      const value = out[spec.id];
      if (spec.type !== 'FILE' || typeof value !== 'string' || value.startsWith(KESTRA_SCHEME)) continue;
      const source = value.startsWith('file://') ? new URL(value).pathname : value;
      if (!fs.existsSync(source) || !fs.statSync(source).isFile()) {
        throw new InputError(spec.id, `no such file ${source}`);
      }
      const prefix = executionPrefix({ namespace: flow.namespace, flowId: flow.id, executionId });
      const uri = this.storage.toUri(`${prefix}/inputs/${spec.id}/${path.basename(source)}`);
      const dest = this.storage.resolve(uri);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(source, dest);
      out[spec.id] = uri;
    }
    return out;
  }

  /**
   * Starts a child execution for a Subflow or ForEachItem task run (Kestra's
   * ExecutableUtils.subflowExecution): the flow comes from the resolver, the labels and
   * `trigger.*` from the parent. While the task run waits, killing it kills the child.
   */
  private async startSubflow(parent: SubflowParent, request: SubflowRequest, signal: AbortSignal, warn: (message: string) => void): Promise<SubflowRun> {
    const ref = { namespace: request.namespace, flowId: request.flowId };
    const resolved = await this.opts.flows?.resolve({ ...ref, from: { namespace: parent.namespace, flowId: parent.flowId } });
    if (!resolved) {
      throw new TaskError(`Unable to find flow '${ref.namespace}'.'${ref.flowId}': no flow with this namespace and id in ${this.opts.flows?.searched ?? 'this run (no flows are known to it)'}`);
    }
    const { flow, origin } = resolved;
    const depth = (this.subflowDepth.get(parent.executionId) ?? 0) + 1;
    // A flow that calls itself with no end would start executions until the server gave out.
    if (depth > MAX_SUBFLOW_DEPTH) {
      throw new TaskError(`subflow ${ref.namespace}.${ref.flowId} would be ${depth} levels deep (more than ${MAX_SUBFLOW_DEPTH}): does a flow start itself without an end?`);
    }
    if (flow.disabled) throw new TaskError(`Cannot execute a flow which is disabled: ${ref.namespace}.${ref.flowId}`);
    const { kept, dropped } = declaredInputs(flow, request.inputs);
    for (const input of dropped) {
      warn(`Input ${input} was provided by parent execution ${parent.executionId} for subflow ${ref.namespace}.${ref.flowId} but isn't declared at the subflow inputs`);
    }
    let started: { id: string; done: Promise<ExecutionResult> };
    try {
      started = this.start({ flow, inputs: kept, labels: childLabels(parent, flow, request), trigger: subflowTrigger(parent, request.iteration), origin });
    } catch (err) {
      throw new TaskError(`subflow ${ref.namespace}.${ref.flowId} could not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.subflowDepth.set(started.id, depth);
    const kill = () => this.cancel(started.id);
    signal.addEventListener('abort', kill, { once: true });
    const done = started.done
      .then((result): SubflowOutcome => ({ executionId: result.id, state: isTerminal(result.state) ? result.state : 'FAILED', outputs: result.flowOutputs }))
      .finally(() => signal.removeEventListener('abort', kill));
    return { executionId: started.id, done };
  }

  /** Log lines of an execution: from the run while this engine runs it, else from the stored logs when there are. */
  private async fetchLogs(query: LogQuery): Promise<readonly TaskLogLine[]> {
    const slot = this.active.get(query.executionId);
    if (slot) return slot.run.logLines.map((l) => ({ ...l, namespace: slot.run.snapshot.namespace, flowId: slot.run.snapshot.flowId }));
    return (await this.opts.storedLogs?.(query)) ?? [];
  }

  /**
   * Resumes a PAUSED execution, as Kestra's `POST /executions/{id}/resume`: its first paused
   * Pause goes on with `inputs` as its `onResume` values. Inputs that do not fit throw an
   * InputError and leave it PAUSED.
   */
  resume(executionId: string, inputs: Record<string, unknown> = {}): void {
    const slot = this.active.get(executionId);
    if (!slot) throw new Problem('not-found', `execution ${executionId} is not running: only a PAUSED execution can be resumed`);
    const state = slot.run.snapshot.state;
    if (state !== 'PAUSED' || !slot.run.pausedTaskRun()) {
      throw new Problem('conflict', `execution ${executionId} is ${state}, not waiting at a Pause: there is nothing to resume`);
    }
    // A FILE onResume value given as a local path goes into the execution's storage, as a FILE flow input does.
    const { namespace, flowId } = slot.run.snapshot;
    slot.run.resume(this.storeFileInputs(slot.run.pausedOnResume() ?? [], { namespace, id: flowId }, executionId, inputs));
  }

  /** Fails the Pause an execution waits at, with `reason`, instead of resuming it (the CLI's `--on-pause fail`). */
  refusePause(executionId: string, reason: string): void {
    const slot = this.active.get(executionId);
    if (!slot?.run.pausedTaskRun()) throw new Problem('conflict', `execution ${executionId} is not waiting at a Pause`);
    slot.run.refusePause(reason);
  }

  /** The Pause task run an active execution waits at, if it does. */
  pausedTaskRun(executionId: string): TaskRun | undefined {
    return this.active.get(executionId)?.run.pausedTaskRun();
  }

  /** The `onResume` inputs of the Pause an active execution waits at (none when it does not wait). */
  pausedOnResume(executionId: string): readonly InputSpec[] {
    return this.active.get(executionId)?.run.pausedOnResume() ?? [];
  }

  cancel(executionId: string): boolean {
    const slot = this.active.get(executionId);
    if (!slot || isTerminal(slot.run.snapshot.state)) return false;
    slot.run.log('WARN', 'execution killed by request');
    slot.run.kill();
    return true;
  }

  running(): string[] {
    return [...this.active.keys()];
  }

  /** Waits for every active execution to end (used at shutdown and in tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.active.values()].map((s) => s.done));
  }

  executionPrefix(flow: FlowSpec, executionId: string): string {
    return executionPrefix({ namespace: flow.namespace, flowId: flow.id, executionId });
  }
}

/**
 * Input defaults written as templates are rendered when the execution is created (Kestra
 * 1.x: "Input defaults are now dynamic", kestra.io/docs/migration-guide/0.0/inputs-defaults-property),
 * with the flow, the execution and the inputs given or already resolved, then checked
 * against the input's type. A value the user gave is never rendered.
 */
function renderInputDefaults(flow: FlowSpec, given: Record<string, unknown>, resolved: Record<string, unknown>, base: Record<string, unknown>, host: TemplateHost): Record<string, unknown> {
  const out = { ...resolved };
  for (const spec of flow.inputs) {
    const value = given[spec.id];
    if (!(value === undefined || value === null || value === '') || !isTemplate(spec.defaults)) continue;
    const known = Object.fromEntries(Object.entries(out).filter(([id]) => id !== spec.id && !isTemplate(out[id])));
    let rendered: unknown;
    try {
      rendered = renderValue(spec.defaults, { ...base, inputs: nestInputs(known) }, host);
    } catch (err) {
      throw new InputError(spec.id, `its default could not be rendered: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const checked = checkInputValue(spec, rendered);
    if (!checked.ok) throw new InputError(spec.id, `default value ${JSON.stringify(rendered)}: ${checked.message}`);
    out[spec.id] = checked.value;
  }
  return out;
}

/**
 * A flow output read as its declared `type`, as Kestra's FlowInputOutput.typedOutputs does with
 * the input types (`type: INT` gives a number, not the rendered text); a value that does not
 * read as its type is kept as rendered.
 */
function typedOutput(output: Record<string, unknown>, value: unknown): unknown {
  if (!isInputType(output.type) || typeof output.id !== 'string') return value;
  const checked = checkInputValue({ id: output.id, type: output.type, required: false, raw: output }, value);
  return checked.ok ? checked.value : value;
}

/** Kestra exposes env vars prefixed KESTRA_ as `envs.<rest lower-cased>`. */
function kestraEnvs(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('KESTRA_') && v !== undefined) out[k.slice(7).toLowerCase()] = v;
  }
  return out;
}

function envSettings(): Partial<EngineSettings> {
  const out: Partial<EngineSettings> = {};
  const runner = process.env.FLOWBOOK_DEFAULT_RUNNER;
  if (runner === 'docker' || runner === 'process' || runner === 'auto') out.defaultRunner = runner;
  const cap = Number(process.env.FLOWBOOK_FETCH_CAP);
  if (Number.isInteger(cap) && cap > 0) out.fetchCap = cap;
  if (process.env.FLOWBOOK_DOCKER_VOLUMES === 'true') out.dockerVolumesEnabled = true;
  if (process.env.FLOWBOOK_DOCKER_NETWORK) out.dockerNetworkMode = process.env.FLOWBOOK_DOCKER_NETWORK;
  return out;
}
