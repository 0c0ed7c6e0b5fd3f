/**
 * What a task is (its declaration as data) and what it may use while it runs (RunContext).
 * The notebook's explanations, validation and docs all read from TaskDefinition.
 */
import type { z } from 'zod';
import type { LocalStorage, TaskScope } from '../storage/storage';
import type { LogLevel } from '../model/log';
import type { State } from '../model/states';
import type { HostAliases } from '../config/host-aliases';
import type { KvStore } from '../storage/kv';
import type { RunnerSettings } from '../runners/types';

import type { RawTask } from '../flow/types';

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
  properties: z.ZodType;
  /** A complete YAML example of the task. */
  example: string;
  /** Which property holds the cell's main code, for the notebook editor. */
  editor?: { property: string; language: 'sql' | 'python' | 'shell' | 'javascript' | 'yaml' | 'text' };
}

export interface RunnableTaskDefinition extends TaskDefinitionBase {
  kind: 'runnable';
  run(ctx: RunContext): Promise<TaskResult>;
}

export interface FlowableTaskDefinition extends TaskDefinitionBase {
  /** Runs no code of its own: the engine runs its child lists (lib/flow/children.ts names them). */
  kind: 'flowable';
}

export type TaskDefinition = RunnableTaskDefinition | FlowableTaskDefinition;
