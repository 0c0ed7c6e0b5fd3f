/**
 * The JSON bodies Kestra's REST API (1.x) answers with, as far as Flowbook reads them. Field
 * names follow Kestra's Jackson serialisation of its models (`Execution`, `TaskRun`, `State`,
 * `LogEntry`, `FlowWithSource`) and of Micronaut's `JsonError`; everything is optional because
 * a server of another version may leave fields out.
 */

export interface KestraStateHistory {
  state: string;
  date: string;
}

/** `io.kestra.core.models.flows.State` */
export interface KestraState {
  current: string;
  histories?: KestraStateHistory[];
  startDate?: string;
  endDate?: string;
  /** ISO-8601 duration (`PT1.2S`). */
  duration?: string;
}

export interface KestraTaskRunAttempt {
  state?: KestraState;
}

/** `io.kestra.core.models.executions.TaskRun` */
export interface KestraTaskRun {
  id: string;
  executionId?: string;
  namespace?: string;
  flowId?: string;
  taskId: string;
  parentTaskRunId?: string | null;
  value?: string | null;
  iteration?: number | null;
  attempts?: KestraTaskRunAttempt[] | null;
  outputs?: Record<string, unknown> | null;
  state: KestraState;
}

export interface KestraLabel {
  key: string;
  value: string;
}

/** `io.kestra.core.models.executions.Execution` (and `ExecutionResponse`, which adds `url`). */
export interface KestraExecution {
  id: string;
  tenantId?: string;
  namespace: string;
  flowId: string;
  flowRevision?: number;
  taskRunList?: KestraTaskRun[] | null;
  inputs?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
  labels?: KestraLabel[] | null;
  state: KestraState;
  /** ExecutionResponse only: the execution in Kestra's UI (absolute when `kestra.url` is set). */
  url?: string;
}

/** `io.kestra.core.models.executions.LogEntry` and the follow stream's `FollowLogEvent`. */
export interface KestraLogEntry {
  namespace?: string;
  flowId?: string;
  taskId?: string | null;
  executionId?: string;
  taskRunId?: string | null;
  attemptNumber?: number | null;
  timestamp?: string;
  level?: string;
  message?: string | null;
}

/** `FlowWithSource`, as `GET /flows/{namespace}/{id}?source=true` answers. */
export interface KestraFlowWithSource {
  id: string;
  namespace: string;
  revision?: number;
  source?: string;
  deleted?: boolean;
}

/** `io.kestra.core.models.validations.ValidateConstraintViolation`, one per flow sent to `/flows/validate`. */
export interface KestraValidation {
  index?: number;
  flow?: string;
  namespace?: string;
  constraints?: string | null;
  outdated?: boolean;
  deprecationPaths?: string[] | null;
  warnings?: string[] | null;
  infos?: string[] | null;
}

/** Micronaut's `JsonError` (Kestra 1.x's ErrorController) and RFC 9457 problem details (later releases). */
export interface KestraErrorBody {
  message?: string;
  _embedded?: { errors?: { message?: string; path?: string }[] };
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { detail?: string; message?: string; path?: string; pointer?: string }[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isKestraExecution(v: unknown): v is KestraExecution {
  return isRecord(v) && typeof v.id === 'string' && typeof v.namespace === 'string' && typeof v.flowId === 'string' && isRecord(v.state) && typeof v.state.current === 'string';
}

export function isKestraLogEntry(v: unknown): v is KestraLogEntry {
  return isRecord(v) && (v.message === undefined || v.message === null || typeof v.message === 'string');
}

export function isKestraFlow(v: unknown): v is KestraFlowWithSource {
  return isRecord(v) && typeof v.id === 'string' && typeof v.namespace === 'string';
}

export function asErrorBody(v: unknown): KestraErrorBody {
  return isRecord(v) ? (v as KestraErrorBody) : {};
}
