/**
 * The web app's wire contract: every JSON body the API returns and every socket.io
 * payload. Server and browser both import from here, so a shape change fails to compile
 * on both sides at once.
 */
import type { State } from '../model/states';
import type { LogLine, TaskRun } from '../engine/events';

/** One task run, the same shape from the engine to the browser. */
export type { TaskRun } from '../engine/events';
import type { FlowIssue, InputSpec } from '../flow/types';

export type { State } from '../model/states';
export type { LogLevel } from '../engine/events';

// The flow model's own JSON-safe types: one definition for the server and the browser.
export type { SourcePos, FlowIssue, InputType, InputSpec } from '../flow/types';
export interface DataTrace {
  sources: { taskId: string; kind: 'http' | 'shell' | 'file'; url: string }[];
  targets: { taskId: string; technology: string; connection?: string; tables: string[]; operation?: string }[];
}

export interface Topology {
  nodes: { id: string; type: string; parentId?: string }[];
  edges: { from: string; to: string; kind: 'order' | 'data' }[];
}

export type RunModeKind = 'all' | 'cell' | 'from' | 'upTo';

export interface NotebookSummary {
  id: string;
  /** The name shown when it is not the flow id (a duplicate is "<name> (copy)"). */
  name?: string;
  flowId: string;
  namespace: string;
  description?: string;
  updatedAt: string;
  deleted: boolean;
  lastExecution?: { id: string; state: State; startDate: string };
}

export type CellKind = 'runnable' | 'flowable' | 'unknown';

export interface CellEditorDto {
  /** The task property the editor edits (e.g. `sql`, `script`, `commands`). */
  property: string;
  language: 'sql' | 'python' | 'shell' | 'javascript' | 'yaml' | 'text';
  /** The property's current text (`commands` lists are joined with newlines). */
  code: string;
}

export interface CellDto {
  taskId: string;
  type: string;
  /** The task type in words ("Run a DuckDB query"). */
  title: string;
  /** One paragraph for learners on what the task type does. */
  explanation: string;
  path: (string | number)[];
  depth: number;
  parentId?: string;
  /** Which branch of the parent: 'then' | 'else' | 'cases.x' | 'tasks' | 'errors' | 'finally' ... */
  branch?: string;
  kind: CellKind;
  /** The task's YAML text, dedented. */
  source: string;
  editor?: CellEditorDto;
  /** Markdown from the note comment directly above the task. */
  note?: string;
  /** The latest run of the cell, if any. */
  run?: TaskRun;
  stale: boolean;
  staleReason?: string;
  usesOutputsOf: string[];
  usedBy: string[];
  disabled: boolean;
  /** A Pause's `onResume` inputs: the form its Resume button sends. */
  onResume?: InputSpec[];
}

export interface NotebookFlowDto {
  id: string;
  namespace: string;
  description?: string;
  labels: Record<string, string>;
  inputs: InputSpec[];
  triggers: Record<string, unknown>[];
}

export interface NotebookDto {
  id: string;
  /** The name shown when it is not the flow id (a duplicate is "<name> (copy)"). */
  name?: string;
  yaml: string;
  /** The YAML as first imported, for the export diff view. */
  originalYaml: string;
  /** Bumps on every save; PUT must send the version it edited. */
  version: number;
  updatedAt: string;
  deleted: boolean;
  /** Absent when the YAML has errors that make the flow unusable (see issues). */
  flow?: NotebookFlowDto;
  issues: FlowIssue[];
  cells: CellDto[];
  dataTrace: DataTrace;
  topology: Topology;
}

export interface ExecutionDto {
  id: string;
  notebookId: string;
  namespace: string;
  flowId: string;
  state: State;
  mode: RunModeKind;
  targetTaskId?: string;
  labels: Record<string, string>;
  inputs: Record<string, unknown>;
  startDate: string;
  endDate?: string;
  durationMs?: number;
  error?: string;
  /** The Schedule trigger the execution ran as (scheduled, backfilled, or "Run as trigger"). */
  triggerId?: string;
  /** Its `trigger.date` (ISO). */
  triggerDate?: string;
}


/** A stored log line: the engine's line plus its place in the execution's log. */
export interface LogDto extends LogLine {
  /** Strictly increasing per execution, assigned by the database. */
  seq: number;
}

export interface PreviewColumn {
  name: string;
  type: string;
}

export interface PreviewDto {
  columns: PreviewColumn[];
  rows: unknown[][];
  total?: number;
  offset: number;
  limit: number;
  format: string;
}

export interface ApiError {
  error: string;
  issues?: FlowIssue[];
  missingTaskId?: string;
  /** For input errors: which input. */
  inputId?: string;
}

// ---- request bodies ----

export interface CreateNotebookRequest {
  yaml: string;
}
export interface UpdateNotebookRequest {
  yaml: string;
  version: number;
}
/**
 * Exactly one of code, source or note (`note: null` removes the note), with the notebook
 * `version` the edit was made on. A code or source save must carry it; a save made on a
 * version that is no longer the notebook's is refused (409) rather than overwriting what
 * was saved in between.
 */
export type PatchCellRequest = ({ code: string } | { source: string } | { note: string | null }) & { version?: number };
export interface InsertCellRequest {
  afterTaskId: string | null;
  source: string;
}
/** `POST /api/executions/<id>/resume`: values for the paused task's `onResume` inputs (Kestra's resume API). */
export interface ResumeExecutionRequest {
  inputs?: Record<string, unknown>;
}

export interface StartRunRequest {
  mode: RunModeKind;
  taskId?: string;
  inputs?: Record<string, unknown>;
  /**
   * Runs as the Schedule trigger `triggerId` fired at this date (ISO with a zone): the
   * execution gets `trigger.date`, `trigger.next` and `trigger.previous` as a scheduled run
   * does, and the trigger's own inputs over `inputs`.
   */
  triggerDate?: string;
  /** Which Schedule trigger; may be left out when the flow has exactly one. */
  triggerId?: string;
}
export interface StartRunResponse {
  executionId: string;
}
export interface ExecutionDetailDto {
  execution: ExecutionDto;
  taskRuns: TaskRun[];
}

export interface SettingsDto {
  /** Aliases saved in the app (merged over FLOWBOOK_HOST_ALIASES). */
  hostAliases: Record<string, string>;
  /** Aliases from the environment, read-only. */
  envHostAliases: Record<string, string>;
  /** Aliases Flowbook sets itself while its built-in PostgreSQL runs (`pgdatabase`); they win over the others. */
  builtinHostAliases: Record<string, string>;
}
export interface SecretSummary {
  key: string;
  updatedAt: string;
}
export interface KvEntryDto {
  namespace: string;
  key: string;
  type: string;
  updatedAt: string;
  expiresAt?: string;
  value: unknown;
}
export interface StatusDto {
  docker: { ok: true; version?: string } | { ok: false; reason: string };
  database: 'sqlite' | 'postgresql';
  bind: string;
  version: string;
}
export interface TaskTypeDto {
  type: string;
  aliases: string[];
  title: string;
  description: string;
  example: string;
  kind: 'runnable' | 'flowable';
  editor?: { property: string; language: CellEditorDto['language'] };
}
