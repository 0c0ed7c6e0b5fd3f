/**
 * Fetch wrappers for the Flowbook API. Every call either returns the typed body or throws
 * ApiClientError carrying the server's ApiError, so callers can show issues, missing cells
 * and input errors exactly where they belong.
 */
import type {
  ApiError,
  CreateNotebookRequest,
  ExecutionDetailDto,
  ExecutionDto,
  InsertCellRequest,
  KvEntryDto,
  LogDto,
  NotebookDto,
  NotebookInputsDto,
  NotebookSummary,
  PatchCellRequest,
  PostgresStatusDto,
  PreviewDto,
  ResumeExecutionRequest,
  SecretSummary,
  SettingsDto,
  StartRunRequest,
  StartRunResponse,
  StatusDto,
  TaskTypeDto,
} from '@/lib/contract';
import type { RunStaleRequest, RunStaleResponse } from '@/lib/contract/stale-runs';

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
    readonly url: string,
  ) {
    super(body.error || `request to ${url} failed with ${status}`);
    this.name = 'ApiClientError';
  }
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string';
}

export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiClientError(0, { error: `cannot reach the server (${method} ${url}): ${String(err)}` }, url);
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    const err = isApiError(parsed) ? parsed : { error: `${method} ${url} failed: ${res.status} ${typeof parsed === 'string' ? parsed.slice(0, 200) : res.statusText}` };
    throw new ApiClientError(res.status, err, url);
  }
  return parsed as T;
}

/**
 * POSTs a file or an archive as the raw request body (the server streams it to disk, no
 * multipart). `action` says what was being done, for the errors: "upload a.csv" gives
 * "cannot reach the server to upload a.csv" and "upload of a.csv failed: 500 …".
 */
export async function postRaw<T>(url: string, body: Blob, contentType: string, action: { verb: string; subject: string }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  } catch (err) {
    throw new ApiClientError(0, { error: `cannot reach the server to ${action.verb} ${action.subject}: ${String(err)}` }, url);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const err = isApiError(parsed) ? parsed : { error: `${action.verb} of ${action.subject} failed: ${res.status} ${text.slice(0, 200)}` };
    throw new ApiClientError(res.status, err, url);
  }
  return parsed as T;
}

const enc = encodeURIComponent;

export const api = {
  listNotebooks: (q: string) => request<NotebookSummary[]>('GET', `/api/notebooks${q ? `?q=${enc(q)}` : ''}`),
  createNotebook: (body: CreateNotebookRequest) => request<{ id: string }>('POST', '/api/notebooks', body),
  getNotebook: (id: string) => request<NotebookDto>('GET', `/api/notebooks/${enc(id)}`),
  saveNotebook: (id: string, yaml: string, version: number) =>
    request<NotebookDto>('PUT', `/api/notebooks/${enc(id)}`, { yaml, version }),
  patchCell: (id: string, taskId: string, body: PatchCellRequest) =>
    request<NotebookDto>('PATCH', `/api/notebooks/${enc(id)}/cells/${enc(taskId)}`, body),
  insertCell: (id: string, body: InsertCellRequest) => request<NotebookDto>('POST', `/api/notebooks/${enc(id)}/cells`, body),
  deleteCell: (id: string, taskId: string) => request<NotebookDto>('DELETE', `/api/notebooks/${enc(id)}/cells/${enc(taskId)}`),
  duplicateNotebook: (id: string) => request<{ id: string }>('POST', `/api/notebooks/${enc(id)}/duplicate`),
  deleteNotebook: (id: string) => request<unknown>('DELETE', `/api/notebooks/${enc(id)}`),
  restoreNotebook: (id: string) => request<unknown>('POST', `/api/notebooks/${enc(id)}/restore`),
  exportUrl: (id: string, download: boolean) => `/api/notebooks/${enc(id)}/export${download ? '?download=1' : ''}`,
  exportYaml: async (id: string): Promise<string> => {
    const res = await fetch(`/api/notebooks/${enc(id)}/export`);
    if (!res.ok) throw new ApiClientError(res.status, { error: `export failed: ${res.status}` }, 'export');
    return res.text();
  },
  startRun: (id: string, body: StartRunRequest) => request<StartRunResponse>('POST', `/api/notebooks/${enc(id)}/runs`, body),
  runStale: (id: string, body: RunStaleRequest) => request<RunStaleResponse>('POST', `/api/notebooks/${enc(id)}/runs/stale`, body),
  listExecutions: (id: string) => request<ExecutionDto[]>('GET', `/api/notebooks/${enc(id)}/executions`),
  getExecution: (executionId: string) => request<ExecutionDetailDto>('GET', `/api/executions/${enc(executionId)}`),
  cancelExecution: (executionId: string) => request<unknown>('POST', `/api/executions/${enc(executionId)}/cancel`),
  resumeExecution: (executionId: string, body: ResumeExecutionRequest) => request<unknown>('POST', `/api/executions/${enc(executionId)}/resume`, body),
  logs: (executionId: string, after: number, limit: number) =>
    request<LogDto[]>('GET', `/api/executions/${enc(executionId)}/logs?after=${after}&limit=${limit}`),
  preview: (executionId: string, q: { uri: string; offset: number; limit: number; sort?: string; dir?: 'asc' | 'desc' }) => {
    const params = new URLSearchParams({ uri: q.uri, offset: String(q.offset), limit: String(q.limit) });
    if (q.sort) params.set('sort', q.sort);
    if (q.dir) params.set('dir', q.dir);
    return request<PreviewDto>('GET', `/api/executions/${enc(executionId)}/files/preview?${params}`);
  },
  downloadUrl: (executionId: string, uri: string) => `/api/executions/${enc(executionId)}/files/download?uri=${enc(uri)}`,
  getSettings: () => request<SettingsDto>('GET', '/api/settings'),
  putSettings: (hostAliases: Record<string, string>) => request<SettingsDto>('PUT', '/api/settings', { hostAliases }),
  listSecrets: () => request<SecretSummary[]>('GET', '/api/secrets'),
  putSecret: (key: string, value: string) => request<unknown>('PUT', `/api/secrets/${enc(key)}`, { value }),
  deleteSecret: (key: string) => request<unknown>('DELETE', `/api/secrets/${enc(key)}`),
  listKv: (namespace: string) => request<KvEntryDto[]>('GET', `/api/kv${namespace ? `?namespace=${enc(namespace)}` : ''}`),
  putKv: (namespace: string, key: string, value: unknown) => request<unknown>('PUT', `/api/kv/${enc(namespace)}/${enc(key)}`, { value }),
  deleteKv: (namespace: string, key: string) => request<unknown>('DELETE', `/api/kv/${enc(namespace)}/${enc(key)}`),
  status: () => request<StatusDto>('GET', '/api/status'),
  getInputs: (id: string) => request<NotebookInputsDto>('GET', `/api/notebooks/${enc(id)}/inputs`),
  saveInputs: (id: string, values: Record<string, unknown>) => request<NotebookInputsDto>('PUT', `/api/notebooks/${enc(id)}/inputs`, { values }),
  resetInputs: (id: string) => request<NotebookInputsDto>('DELETE', `/api/notebooks/${enc(id)}/inputs`),
  logDownloadUrl: (executionId: string) => `/api/executions/${enc(executionId)}/logs/download`,
  postgresStatus: () => request<PostgresStatusDto>('GET', '/api/postgres'),
  startPostgres: (port?: number) => request<PostgresStatusDto>('POST', '/api/postgres/start', port === undefined ? {} : { port }),
  stopPostgres: () => request<PostgresStatusDto>('POST', '/api/postgres/stop', {}),
  taskTypes: () => request<TaskTypeDto[]>('GET', '/api/task-types'),
};

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
