/**
 * The one context every task runs with: rendering, logging, storage, KV, metrics,
 * cancellation. Tests make one with `createTestRunContext` and call `run()`.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderValue, type TemplateHost } from '../template';
import { LocalStorage, type TaskScope } from '../storage/storage';
import { KvStore } from '../storage/kv';
import { HostAliases } from '../config/host-aliases';
import type { LogLevel, LogLine, MetricEntry } from './events';
import { TaskError, type EngineSettings, type ExecutionVariables, type ExitState, type LogQuery, type RawTask, type RunContext, type SubflowRequest, type SubflowRun, type TaskLogLine, type TaskLogger } from '../tasks/types';
import { SecretMasker } from './secret-mask';
import { logTimestamp } from './log-clock';
import { createTemplateHost, type SecretProvider } from './template-host';
import { newId } from '../model/ids';

export const DEFAULT_SETTINGS: EngineSettings = {
  defaultRunner: 'auto',
  fetchCap: 10_000,
  dockerVolumesEnabled: false,
  cacheDir: path.join(os.tmpdir(), 'flowbook-cache'),
};

export interface RunContextParts {
  scope: TaskScope;
  task: RawTask;
  attempt: number;
  variables: Record<string, unknown>;
  host: TemplateHost;
  storage: LocalStorage;
  kv: KvStore;
  hostAliases: HostAliases;
  masker: SecretMasker;
  settings: EngineSettings;
  signal: AbortSignal;
  /** Where working dirs are created; each task run gets its own subfolder. */
  tmpRoot: string;
  /** The directory of an enclosing WorkingDirectory: the task works there instead of in a fresh one. */
  sharedWorkingDir?: string;
  fetchLogs(query: LogQuery): Promise<readonly TaskLogLine[]>;
  resumeExecution(executionId: string, inputs: Record<string, unknown>): Promise<void>;
  endExecution(state: ExitState | 'KILLED'): void;
  killExecution(executionId: string): boolean;
  startSubflow(request: SubflowRequest): Promise<SubflowRun>;
  onLog(line: LogLine): void;
  onMetric(metric: MetricEntry): void;
  onDetail(key: string, value: string): void;
  executionVariables: ExecutionVariables;
}

export class TaskRunContext implements RunContext {
  readonly scope: TaskScope;
  readonly task: RawTask;
  readonly attempt: number;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly logger: TaskLogger;
  readonly storage: LocalStorage;
  readonly kv: KvStore;
  readonly hostAliases: HostAliases;
  readonly signal: AbortSignal;
  readonly config: EngineSettings;
  readonly executionVariables: ExecutionVariables;
  private dir: string | undefined;

  constructor(private readonly parts: RunContextParts) {
    this.scope = parts.scope;
    this.task = parts.task;
    this.attempt = parts.attempt;
    this.variables = parts.variables;
    this.storage = parts.storage;
    this.kv = parts.kv;
    this.hostAliases = parts.hostAliases;
    this.signal = parts.signal;
    this.config = parts.settings;
    this.executionVariables = parts.executionVariables;
    const log = (level: LogLevel, message: string) =>
      parts.onLog({
        executionId: parts.scope.executionId,
        taskRunId: parts.scope.taskRunId,
        taskId: parts.scope.taskId,
        level,
        message: parts.masker.mask(message),
        at: logTimestamp(),
      });
    this.logger = {
      trace: (m) => log('TRACE', m),
      debug: (m) => log('DEBUG', m),
      info: (m) => log('INFO', m),
      warn: (m) => log('WARN', m),
      error: (m) => log('ERROR', m),
      log,
    };
  }

  render(value: unknown, extraVars?: Record<string, unknown>): unknown {
    const vars = extraVars ? { ...this.parts.variables, ...extraVars } : this.parts.variables;
    return renderValue(value, vars, this.parts.host);
  }

  renderString(value: unknown, extraVars?: Record<string, unknown>): string {
    const rendered = this.render(value, extraVars);
    if (rendered === null || rendered === undefined) return '';
    if (typeof rendered === 'object') return JSON.stringify(rendered);
    return String(rendered);
  }

  async workingDir(): Promise<string> {
    if (this.parts.sharedWorkingDir !== undefined) return this.parts.sharedWorkingDir;
    if (!this.dir) {
      await fsp.mkdir(this.parts.tmpRoot, { recursive: true });
      this.dir = await fsp.mkdtemp(path.join(this.parts.tmpRoot, `${this.scope.taskId}-`));
    }
    return this.dir;
  }

  /** The working dir if this task run created its own, so the engine can remove it after the run (never a shared one). */
  createdWorkingDir(): string | undefined {
    return this.dir;
  }

  async putFile(localPath: string, name?: string): Promise<string> {
    const uri = this.storage.taskFileUri(this.scope, name ?? path.basename(localPath));
    return this.storage.putFile(uri, localPath);
  }

  metric(name: string, type: 'counter' | 'timer' | 'gauge', value: number, tags: Record<string, string> = {}): void {
    this.parts.onMetric({ executionId: this.scope.executionId, taskRunId: this.scope.taskRunId, name, type, value, tags });
  }

  maskSecret(value: string): void {
    this.parts.masker.add(value);
  }

  setDetail(key: string, value: string): void {
    this.parts.onDetail(key, value);
  }

  endExecution(state: ExitState | 'KILLED'): void {
    this.parts.endExecution(state);
  }

  killExecution(executionId: string): boolean {
    return this.parts.killExecution(executionId);
  }

  fetchLogs(query: LogQuery): Promise<readonly TaskLogLine[]> {
    return this.parts.fetchLogs(query);
  }

  startSubflow(request: SubflowRequest): Promise<SubflowRun> {
    return this.parts.startSubflow(request);
  }

  resumeExecution(executionId: string, inputs: Record<string, unknown>): Promise<void> {
    return this.parts.resumeExecution(executionId, inputs);
  }
}

export interface TestRunContextOptions {
  task: RawTask;
  variables?: Record<string, unknown>;
  dataDir?: string;
  hostAliases?: HostAliases;
  settings?: Partial<EngineSettings>;
  signal?: AbortSignal;
  secrets?: SecretProvider;
}

/** A real context over a real (temporary) storage, for testing one task in isolation. */
export async function createTestRunContext(opts: TestRunContextOptions): Promise<{
  ctx: TaskRunContext;
  logs: LogLine[];
  metrics: MetricEntry[];
  details: Record<string, string>;
  storage: LocalStorage;
  dispose(): Promise<void>;
}> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), 'flowbook-test-')));
  const storage = new LocalStorage(path.join(dataDir, 'storage'));
  fs.mkdirSync(storage.baseDir, { recursive: true });
  const kv = new KvStore(storage);
  const masker = new SecretMasker();
  const scope: TaskScope = {
    namespace: 'test',
    flowId: 'test-flow',
    executionId: newId(),
    taskId: opts.task.id,
    taskRunId: newId(),
  };
  const logs: LogLine[] = [];
  const metrics: MetricEntry[] = [];
  const details: Record<string, string> = {};
  const variables: Record<string, unknown> = {
    flow: { id: scope.flowId, namespace: scope.namespace, revision: 1 },
    execution: { id: scope.executionId, startDate: new Date().toISOString(), originalId: scope.executionId },
    task: { id: opts.task.id, type: opts.task.type },
    taskrun: { id: scope.taskRunId, startDate: new Date().toISOString(), attemptsCount: 0 },
    inputs: {},
    outputs: {},
    vars: {},
    labels: {},
    envs: {},
    ...opts.variables,
  };
  const ctx = new TaskRunContext({
    scope,
    task: opts.task,
    attempt: 1,
    variables,
    host: createTemplateHost({ namespace: scope.namespace, secrets: opts.secrets, masker, kv, storage }),
    storage,
    kv,
    hostAliases: opts.hostAliases ?? new HostAliases(),
    masker,
    settings: { ...DEFAULT_SETTINGS, cacheDir: path.join(dataDir, 'cache'), ...opts.settings },
    signal: opts.signal ?? new AbortController().signal,
    tmpRoot: path.join(dataDir, 'tmp'),
    fetchLogs: async (query) => (query.executionId === scope.executionId ? logs : []),
    resumeExecution: () => Promise.reject(new TaskError('a task tested on its own cannot resume an execution: run it in a flow through the engine')),
    endExecution: () => {
      throw new TaskError('a task tested on its own has no execution to end: run it in a flow through the engine');
    },
    killExecution: () => false,
    startSubflow: () => Promise.reject(new TaskError('a task tested on its own cannot start a subflow: run it in a flow through the engine')),
    onLog: (l) => logs.push(l),
    onMetric: (m) => metrics.push(m),
    onDetail: (k, v) => (details[k] = v),
    executionVariables: ownVariables(),
  });
  return {
    ctx,
    logs,
    metrics,
    details,
    storage,
    dispose: async () => {
      if (ownDir) await fsp.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Execution variables kept in memory, for a task tested on its own. */
function ownVariables(): ExecutionVariables {
  let current: Record<string, unknown> = {};
  return {
    current: () => current,
    replace: (next) => {
      current = next;
    },
  };
}
