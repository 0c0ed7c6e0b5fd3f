/**
 * The flow model: a Kestra flow YAML kept as text (with comments), its parsed document,
 * and the typed view the engine, CLI and web app read.
 */
import type { Document } from 'yaml';

/** A task as written in the YAML: a plain map with at least `id` and `type`. */
export type RawTask = { id: string; type: string } & Record<string, unknown>;

export type { SourcePos, YamlPath, FlowIssue } from '../model/issues';
import type { FlowIssue, YamlPath } from '../model/issues';
import type { TaskCheckOptions } from './validate-tasks';

export const INPUT_TYPES = [
  'STRING', 'INT', 'FLOAT', 'BOOLEAN', 'SELECT', 'MULTISELECT', 'ARRAY', 'JSON', 'DATETIME', 'DATE',
  'TIME', 'DURATION', 'URI', 'FILE', 'SECRET', 'ENUM', 'BOOL', 'EMAIL', 'YAML',
] as const;

export type InputType = (typeof INPUT_TYPES)[number];

export function isInputType(value: unknown): value is InputType {
  return typeof value === 'string' && (INPUT_TYPES as readonly string[]).includes(value);
}

export interface InputSpec {
  id: string;
  type: InputType;
  defaults?: unknown;
  required: boolean;
  description?: string;
  /** Allowed values of SELECT / MULTISELECT / ENUM. */
  values?: string[];
  /** Type of each item of an ARRAY. */
  itemType?: InputType;
  displayName?: string;
  /** The input exactly as written, for properties this model does not interpret. */
  raw: Record<string, unknown>;
}

export interface PluginDefault {
  type: string;
  values: Record<string, unknown>;
  forced: boolean;
}

export type ConcurrencyBehavior = 'QUEUE' | 'CANCEL' | 'FAIL';

export type SlaBehavior = 'FAIL' | 'CANCEL' | 'NONE';

/**
 * A flow `sla` entry (Kestra's core/.../models/flows/sla): MAX_DURATION is violated when the
 * execution runs longer than `duration`; EXECUTION_ASSERTION when `assert` renders to
 * something false while the execution runs. The behavior says what a violation does, and
 * `labels` are added to the execution.
 */
export type SlaSpec = { id: string; behavior: SlaBehavior; labels: Record<string, string> } & (
  | { type: 'MAX_DURATION'; duration: string }
  | { type: 'EXECUTION_ASSERTION'; assert: string }
);

export interface FlowSpec {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
  labels: Record<string, string>;
  inputs: InputSpec[];
  variables: Record<string, unknown>;
  tasks: RawTask[];
  errors: RawTask[];
  finally: RawTask[];
  pluginDefaults: PluginDefault[];
  triggers: Record<string, unknown>[];
  concurrency?: { limit: number; behavior: ConcurrencyBehavior };
  /** The flow's `retry`, for every task without one of its own (read by the engine). */
  retry?: Record<string, unknown>;
  sla: SlaSpec[];
  outputs?: unknown[];
  disabled: boolean;
}

export interface ParsedFlow {
  /** The source text, exactly as given (export returns it unchanged). */
  text: string;
  doc: Document;
  /** Undefined when the YAML cannot be read as a flow at all (syntax errors, not a map, missing id/namespace/tasks, tasks without id or type). */
  flow?: FlowSpec;
  issues: FlowIssue[];
  /** The task types the flow was checked against; an edit reads the new text with the same. */
  catalog: TaskCheckOptions;
}

/** A task found anywhere in the flow, with where it sits. */
export interface TaskLocation {
  task: RawTask;
  path: YamlPath;
  /** The flowable task holding this one; undefined at the top level. */
  parentId?: string;
  /**
   * The list holding the task: the flowable's property (`then`, `else`, `tasks`, `defaults`,
   * `cases.<key>`, `errors`, `finally`), or `errors` / `finally` for the flow's own lists;
   * undefined for the flow's main `tasks`.
   */
  branch?: string;
  /** 0 at the top level. */
  depth: number;
}
