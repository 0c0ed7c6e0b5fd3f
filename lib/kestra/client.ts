/**
 * A client for the parts of Kestra's REST API (1.x, tenant in the path) that deploy and remote
 * runs use. Every path is `/api/v1/{tenant}/…` as in Kestra's controllers
 * (webserver/src/main/java/io/kestra/webserver/controllers/api/*Controller.java):
 *
 * | what | endpoint |
 * |---|---|
 * | read a flow with its source | `GET  /flows/{namespace}/{id}?source=true` |
 * | create a flow (YAML body) | `POST /flows` (`application/x-yaml`) |
 * | update a flow (YAML body) | `PUT  /flows/{namespace}/{id}` (`application/x-yaml`) |
 * | validate flows | `POST /flows/validate` (`application/x-yaml`) |
 * | search flows (connection check) | `GET  /flows/search?page=1&size=1` |
 * | a namespace | `GET  /namespaces/{namespace}` |
 * | read / write a namespace file | `GET` / `POST /namespaces/{namespace}/files?path=…` (multipart `fileContent`) |
 * | start an execution | `POST /executions/{namespace}/{id}` (multipart inputs) |
 * | an execution, with its task runs | `GET  /executions/{executionId}` |
 * | kill an execution | `DELETE /executions/{executionId}/kill` |
 * | an execution's logs | `GET  /logs/{executionId}`, followed with `GET /logs/{executionId}/follow` (server-sent events) |
 *
 * Credentials go in the Authorization header only (basic auth, as Kestra OSS asks, or an API
 * token as a Bearer); no message this client builds ever contains them.
 */
import {
  asErrorBody,
  isKestraExecution,
  isKestraFlow,
  isKestraLogEntry,
  type KestraErrorBody,
  type KestraExecution,
  type KestraFlowWithSource,
  type KestraLogEntry,
  type KestraValidation,
} from './api-types';
import { SseParser } from './sse';

export type KestraAuth = { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'token'; token: string };

export interface KestraTarget {
  /** The server's address, e.g. `http://localhost:8080` (a path prefix is kept). */
  url: string;
  tenant: string;
  auth: KestraAuth;
}

export type KestraErrorKind = 'network' | 'unauthorized' | 'forbidden' | 'not-found' | 'invalid' | 'conflict' | 'server' | 'unexpected';

export interface KestraFieldError {
  message: string;
  path?: string;
}

export class KestraApiError extends Error {
  constructor(
    readonly kind: KestraErrorKind,
    message: string,
    readonly status?: number,
    /** Kestra's own words, as its error body gave them. */
    readonly kestraMessage?: string,
    readonly fieldErrors: KestraFieldError[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KestraApiError';
  }
}

export interface KestraClientOptions {
  /** Per request, except the followed log stream (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type ExecutionInput = string | { fileName: string; content: Buffer };

const enc = encodeURIComponent;

/** Normalises a server address: scheme required, no trailing slash, no credentials, query or fragment. */
export function normaliseServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new KestraApiError('unexpected', `"${text}" is not a URL: give the Kestra server's address, e.g. http://localhost:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new KestraApiError('unexpected', `"${text}" is not an http(s) address`);
  if (url.username || url.password) throw new KestraApiError('unexpected', 'put credentials in the server\'s auth settings, not in its URL');
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

function fieldErrors(body: KestraErrorBody): KestraFieldError[] {
  const embedded = body._embedded?.errors ?? [];
  const problem = body.errors ?? [];
  return [
    ...embedded.filter((e) => e.message).map((e) => ({ message: String(e.message), path: e.path || undefined })),
    ...problem.filter((e) => e.detail || e.message).map((e) => ({ message: String(e.detail ?? e.message), path: e.path || e.pointer || undefined })),
  ];
}

function ownMessage(body: KestraErrorBody, text: string): string | undefined {
  const m = body.detail ?? body.message ?? body.title;
  if (typeof m === 'string' && m.trim()) return m.trim();
  const t = text.trim();
  if (t && !t.startsWith('<')) return t.slice(0, 500);
  return undefined;
}

export class KestraClient {
  readonly baseUrl: string;
  readonly tenant: string;
  private readonly auth: KestraAuth;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(target: KestraTarget, opts: KestraClientOptions = {}) {
    this.baseUrl = normaliseServerUrl(target.url);
    this.tenant = target.tenant || 'main';
    this.auth = target.auth;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** How messages name the server: `Kestra at http://host:8080 (tenant main)`. */
  get label(): string {
    return `Kestra at ${this.baseUrl} (tenant ${this.tenant})`;
  }

  private authorization(): string | undefined {
    if (this.auth.kind === 'basic') return `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`, 'utf8').toString('base64')}`;
    if (this.auth.kind === 'token') return `Bearer ${this.auth.token}`;
    return undefined;
  }

  /** `/api/v1/{tenant}/…` with each segment encoded. */
  apiUrl(segments: string[], query: [string, string][] = []): string {
    const qs = query.length ? `?${query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}` : '';
    return `${this.baseUrl}/api/v1/${enc(this.tenant)}/${segments.map(enc).join('/')}${qs}`;
  }

  private async send(
    method: string,
    segments: string[],
    opts: { query?: [string, string][]; body?: BodyInit; contentType?: string; accept?: string; signal?: AbortSignal; stream?: boolean; action: string; notFound?: string },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
    if (opts.contentType) headers['content-type'] = opts.contentType;
    const authorization = this.authorization();
    if (authorization) headers.authorization = authorization;
    const signals = [opts.signal, opts.stream ? undefined : AbortSignal.timeout(this.timeoutMs)].filter((s): s is AbortSignal => s !== undefined);
    let res: Response;
    try {
      res = await this.fetchFn(this.apiUrl(segments, opts.query), {
        method,
        headers,
        body: opts.body,
        // A redirect would carry the credentials elsewhere: it is reported, not followed.
        redirect: 'manual',
        signal: signals.length ? AbortSignal.any(signals) : undefined,
      });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new KestraApiError('network', `cannot reach ${this.label} ${opts.action}: ${timedOut ? `no answer within ${this.timeoutMs / 1000} s` : cause}`, undefined, undefined, [], { cause: err });
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new KestraApiError('unexpected', `${this.label} redirected the request ${opts.action} to ${res.headers.get('location') ?? 'another address'}: use the address it redirects to as the server URL`, res.status);
    }
    if (!res.ok) throw await this.error(res, opts.action, opts.notFound);
    return res;
  }

  private async error(res: Response, action: string, notFound?: string): Promise<KestraApiError> {
    const text = await res.text().catch(() => '');
    let body: KestraErrorBody = {};
    try {
      body = asErrorBody(JSON.parse(text));
    } catch {
      body = {};
    }
    const own = ownMessage(body, text);
    const fields = fieldErrors(body);
    const said = own ? `: ${own}` : '';
    const listed = fields.length ? '\n' + fields.map((f) => `  - ${f.path ? `${f.path}: ` : ''}${f.message}`).join('\n') : '';
    const status = res.status;
    switch (true) {
      case status === 401:
        return new KestraApiError(
          'unauthorized',
          `${this.label} refused ${action}: 401 Unauthorized${said}. ${this.auth.kind === 'none' ? 'It asks for credentials: set basic auth (user and password) or an API token for this server.' : 'Check the user and password, or the API token, used for this server.'}`,
          status,
          own,
          fields,
        );
      case status === 403:
        return new KestraApiError('forbidden', `${this.label} refused ${action}: 403 Forbidden${said}. The credentials are valid but not allowed to do this.`, status, own, fields);
      case status === 404:
        return new KestraApiError('not-found', notFound ?? `${this.label} has nothing at ${res.url ? new URL(res.url).pathname : 'that address'} ${action}: 404 Not Found${said}. Check the server URL and the tenant.`, status, own, fields);
      case status === 400 || status === 422:
        return new KestraApiError('invalid', `${this.label} refused ${action} (${status})${said}${listed}`, status, own, fields);
      case status === 409:
        return new KestraApiError('conflict', `${this.label} refused ${action}: 409 Conflict${said}`, status, own, fields);
      case status >= 500:
        return new KestraApiError('server', `${this.label} failed ${action}: ${status}${said}`, status, own, fields);
      default:
        return new KestraApiError('unexpected', `${this.label} answered ${status} ${action}${said}`, status, own, fields);
    }
  }

  private async json(res: Response, action: string): Promise<unknown> {
    const text = await res.text();
    try {
      return text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new KestraApiError('unexpected', `${this.label} answered ${action} with something that is not JSON (is ${this.baseUrl} a Kestra server?)`, res.status);
    }
  }

  /** Checks address, tenant and credentials with the lightest read there is. */
  async check(): Promise<void> {
    const res = await this.send('GET', ['flows', 'search'], { query: [['page', '1'], ['size', '1']], action: 'to list flows' });
    const body = await this.json(res, 'to list flows');
    if (typeof body !== 'object' || body === null || !('results' in body)) throw new KestraApiError('unexpected', `${this.baseUrl} answered the flow search, but not as Kestra does: is it a Kestra server?`);
  }

  /** The namespace, or a clear error when the server says it does not exist (Enterprise Edition keeps namespaces explicitly). */
  async checkNamespace(namespace: string): Promise<void> {
    await this.send('GET', ['namespaces', namespace], {
      action: `to read namespace ${namespace}`,
      notFound: `namespace ${namespace} does not exist on ${this.label}: create it in Kestra first (or check the tenant)`,
    });
  }

  /** The flow as the server has it (its latest revision), or undefined when there is none. */
  async getFlow(namespace: string, id: string): Promise<KestraFlowWithSource | undefined> {
    const action = `to read flow ${namespace}.${id}`;
    let res: Response;
    try {
      res = await this.send('GET', ['flows', namespace, id], { query: [['source', 'true']], action });
    } catch (err) {
      if (err instanceof KestraApiError && err.kind === 'not-found') return undefined;
      throw err;
    }
    const body = await this.json(res, action);
    // Kestra answers a flow it does not know with 404; an empty 200 means the same to us.
    if (body === undefined || body === null) return undefined;
    if (!isKestraFlow(body)) throw new KestraApiError('unexpected', `${this.label} answered ${action} with something that is not a flow`);
    return body;
  }

  async createFlow(namespace: string, id: string, source: string): Promise<KestraFlowWithSource> {
    const action = `to create flow ${namespace}.${id}`;
    const res = await this.send('POST', ['flows'], {
      body: source,
      contentType: 'application/x-yaml',
      action,
      notFound: `namespace ${namespace} does not exist on ${this.label}: create it in Kestra first (or check the tenant)`,
    });
    const body = await this.json(res, action);
    if (!isKestraFlow(body)) throw new KestraApiError('unexpected', `${this.label} answered ${action} with something that is not a flow`);
    return body;
  }

  async updateFlow(namespace: string, id: string, source: string): Promise<KestraFlowWithSource> {
    const action = `to update flow ${namespace}.${id}`;
    const res = await this.send('PUT', ['flows', namespace, id], {
      body: source,
      contentType: 'application/x-yaml',
      action,
      notFound: `flow ${namespace}.${id} is no longer on ${this.label} (deleted meanwhile?): deploy again to create it`,
    });
    const body = await this.json(res, action);
    if (!isKestraFlow(body)) throw new KestraApiError('unexpected', `${this.label} answered ${action} with something that is not a flow`);
    return body;
  }

  /** Kestra's own verdict on a flow, without saving it (what `--dry-run` shows). */
  async validateFlow(namespace: string, id: string, source: string): Promise<KestraValidation | undefined> {
    const action = `to validate flow ${namespace}.${id}`;
    const res = await this.send('POST', ['flows', 'validate'], { body: source, contentType: 'application/x-yaml', action });
    const body = await this.json(res, action);
    return Array.isArray(body) ? (body[0] as KestraValidation | undefined) : undefined;
  }

  /** A namespace file's bytes, or undefined when there is no such file. */
  async getNamespaceFile(namespace: string, filePath: string): Promise<Buffer | undefined> {
    let res: Response;
    try {
      res = await this.send('GET', ['namespaces', namespace, 'files'], { query: [['path', `/${filePath}`]], accept: 'application/octet-stream', action: `to read namespace file ${filePath} of ${namespace}` });
    } catch (err) {
      if (err instanceof KestraApiError && err.kind === 'not-found') return undefined;
      throw err;
    }
    return Buffer.from(await res.arrayBuffer());
  }

  async putNamespaceFile(namespace: string, filePath: string, content: Buffer): Promise<void> {
    const form = new FormData();
    // Kestra unpacks an upload whose *part name* ends in .zip; the path query names the file, so
    // the part gets a neutral name and a .zip namespace file stays one file.
    form.append('fileContent', new Blob([new Uint8Array(content)]), 'content');
    const res = await this.send('POST', ['namespaces', namespace, 'files'], {
      query: [['path', `/${filePath}`]],
      body: form,
      action: `to write namespace file ${filePath} of ${namespace}`,
      notFound: `namespace ${namespace} does not exist on ${this.label}: create it in Kestra first (or check the tenant)`,
    });
    await res.body?.cancel();
  }

  async createExecution(namespace: string, id: string, inputs: Record<string, ExecutionInput>, labels: Record<string, string> = {}): Promise<KestraExecution> {
    const action = `to start flow ${namespace}.${id}`;
    const form = new FormData();
    for (const [key, value] of Object.entries(inputs)) {
      if (typeof value === 'string') form.append(key, value);
      else form.append(key, new Blob([new Uint8Array(value.content)]), value.fileName);
    }
    const res = await this.send('POST', ['executions', namespace, id], {
      body: form,
      query: Object.entries(labels).map(([k, v]) => ['labels', `${k}:${v}`] as [string, string]),
      action,
      notFound: `flow ${namespace}.${id} is not on ${this.label}: deploy it first`,
    });
    const body = await this.json(res, action);
    if (!isKestraExecution(body)) throw new KestraApiError('unexpected', `${this.label} answered ${action} with something that is not an execution`);
    return body;
  }

  async getExecution(executionId: string): Promise<KestraExecution> {
    const action = `to read execution ${executionId}`;
    const res = await this.send('GET', ['executions', executionId], { action, notFound: `execution ${executionId} is not on ${this.label} (deleted?)` });
    const body = await this.json(res, action);
    if (!isKestraExecution(body)) throw new KestraApiError('unexpected', `${this.label} answered ${action} with something that is not an execution`);
    return body;
  }

  async killExecution(executionId: string): Promise<void> {
    const res = await this.send('DELETE', ['executions', executionId, 'kill'], { action: `to kill execution ${executionId}`, notFound: `execution ${executionId} is not on ${this.label}` });
    await res.body?.cancel();
  }

  async listLogs(executionId: string): Promise<KestraLogEntry[]> {
    const action = `to read the logs of execution ${executionId}`;
    const res = await this.send('GET', ['logs', executionId], { action });
    const body = await this.json(res, action);
    return Array.isArray(body) ? body.filter(isKestraLogEntry) : [];
  }

  /**
   * Follows an execution's logs as Kestra streams them: the lines stored so far, then each new
   * one. Kestra keeps the stream open after the execution ends, so the caller aborts `signal`
   * when it has seen the end. Resolves when the stream ends or is aborted.
   */
  async followLogs(executionId: string, onLog: (entry: KestraLogEntry) => void, signal: AbortSignal): Promise<void> {
    let res: Response;
    try {
      res = await this.send('GET', ['logs', executionId, 'follow'], { accept: 'text/event-stream', signal, stream: true, action: `to follow the logs of execution ${executionId}` });
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    if (!res.body) return;
    const parser = new SseParser((event) => {
      // The first event only opens the stream (an empty entry with id "start").
      if (event.id === 'start') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      if (isKestraLogEntry(parsed) && typeof parsed.message === 'string') onLog(parsed);
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const abort = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', abort, { once: true });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch (err) {
      if (!signal.aborted) throw new KestraApiError('network', `the log stream of execution ${executionId} from ${this.label} broke: ${err instanceof Error ? err.message : String(err)}`, undefined, undefined, [], { cause: err });
    } finally {
      signal.removeEventListener('abort', abort);
      parser.end();
    }
  }

  /** The execution in Kestra's UI: the address Kestra gave, else the one its UI routes use. */
  executionUiUrl(execution: Pick<KestraExecution, 'id' | 'namespace' | 'flowId' | 'url' | 'tenantId'>): string {
    if (execution.url) {
      try {
        return new URL(execution.url, this.baseUrl + '/').toString();
      } catch {
        // Not a URL after all: fall through to the route Kestra's ExecutionController builds.
      }
    }
    return `${this.baseUrl}/ui/${enc(execution.tenantId ?? this.tenant)}/executions/${enc(execution.namespace)}/${enc(execution.flowId)}/${enc(execution.id)}`;
  }
}
