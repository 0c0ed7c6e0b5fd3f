/**
 * A small local HTTP server standing in for a Kestra 1.x server (no Kestra can run on the test
 * machines). It implements the endpoints Flowbook uses, at the paths of Kestra's controllers
 * (`/api/v1/{tenant}/…`), and answers with bodies shaped as Kestra's API and source show them:
 *
 * - flows: kestra-io/kestra webserver/…/controllers/api/FlowController.java — `GET {namespace}/{id}`
 *   (returns `FlowWithSource` with `source` when `?source=true`, 404 when none), `POST` and
 *   `PUT {namespace}/{id}` with an `application/x-yaml` body, `POST validate` (a list of
 *   `ValidateConstraintViolation`), `GET search` (`PagedResults`: `{results, total}`).
 * - executions: ExecutionController.java — `POST {namespace}/{id}` (multipart inputs, answers
 *   `ExecutionResponse`: the Execution plus `url`, built as `/ui/{tenant}/executions/{ns}/{flow}/{id}`),
 *   `GET {executionId}`, `DELETE {executionId}/kill` (202; 409 "Illegal state" once finished).
 *   The Execution and State JSON follow kestra.io/docs/how-to-guides/synchronous-executions-api.
 * - logs: LogController.java — `GET {executionId}` (a list of LogEntry) and `GET {executionId}/follow`
 *   (server-sent events: a first empty event with id `start`, then each entry with id `progress`;
 *   the stream stays open, as Kestra's does until its one-hour idle timeout).
 * - namespaces: NamespaceController.java `GET {id}`; NamespaceFileController.java `GET`/`POST
 *   {namespace}/files?path=` (multipart part `fileContent`; a missing file is a FileNotFoundException → 404).
 * - errors: Micronaut's JsonError as Kestra's ErrorController.java builds it —
 *   `{"message": "...", "_links": {"self": {"href": "...", "templated": false}}, "_embedded": {"errors": [{"message", "path"}]}}`,
 *   422 "Invalid entity: …" for a ConstraintViolationException, 404 "Not Found", 409 "Illegal state: …".
 * - auth: webserver/…/filter/AuthenticationFilter.java — no valid basic auth: 401 with an empty
 *   body and `WWW-Authenticate: Basic`. An API token (Enterprise) is a Bearer token.
 *
 * Executions really progress: each task of the flow runs in turn on a timer, writing log lines
 * (a Log task's message, a Return task's output, a Fail task's error); a Sleep task waits its
 * duration, so a kill can be tested.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';

export interface StandInOptions {
  tenant?: string;
  basic?: { username: string; password: string };
  token?: string;
  /** Namespaces that exist, as Kestra Enterprise keeps them; unset: every namespace exists (OSS). */
  namespaces?: string[];
  /** Pace of a running execution: one step (a state change, a task) per tick. */
  stepMs?: number;
  /** The `kestra.url` setting: the execution `url` is absolute with it, relative without. */
  publicUrl?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  contentType?: string;
  /** `basic`, `bearer`, or undefined: never the credential itself. */
  auth?: string;
}

interface StoredFlow {
  namespace: string;
  id: string;
  source: string;
  revision: number;
}

interface StateJson {
  current: string;
  histories: { state: string; date: string }[];
  startDate: string;
  endDate?: string;
  duration: string;
}

interface TaskRunJson {
  id: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  value: null;
  attempts: { state: StateJson }[];
  outputs?: Record<string, unknown>;
  state: StateJson;
}

interface LogJson {
  namespace: string;
  flowId: string;
  taskId?: string;
  executionId: string;
  taskRunId?: string;
  attemptNumber?: number;
  timestamp: string;
  level: string;
  thread: string;
  message: string;
}

interface ExecutionJson {
  id: string;
  tenantId: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  taskRunList: TaskRunJson[];
  inputs: Record<string, unknown>;
  labels: { key: string; value: string }[];
  state: StateJson;
  originalId: string;
  deleted: boolean;
  metadata: { attemptNumber: number; originalCreatedDate: string };
}

interface RawTask {
  id?: unknown;
  type?: unknown;
  message?: unknown;
  format?: unknown;
  duration?: unknown;
  errorMessage?: unknown;
}

interface Simulation {
  execution: ExecutionJson;
  logs: LogJson[];
  followers: Set<http.ServerResponse>;
  timer?: NodeJS.Timeout;
  killed: boolean;
}

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED']);

/** Kestra's ids are short base62 strings (IdUtils.create). */
function kestraId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return [...randomBytes(22)].map((b) => alphabet[b % 62]).join('');
}

function isoDuration(ms: number): string {
  return `PT${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}S`;
}

function newState(current: string, at = new Date()): StateJson {
  return { current, histories: [{ state: current, date: at.toISOString() }], startDate: at.toISOString(), duration: 'PT0S' };
}

function moveState(state: StateJson, next: string, at = new Date()): StateJson {
  const histories = [...state.histories, { state: next, date: at.toISOString() }];
  const start = new Date(state.startDate).getTime();
  return {
    current: next,
    histories,
    startDate: state.startDate,
    ...(TERMINAL.has(next) ? { endDate: at.toISOString() } : {}),
    duration: isoDuration(at.getTime() - start),
  };
}

export interface KestraStandIn {
  url: string;
  requests: RecordedRequest[];
  flows: Map<string, StoredFlow>;
  namespaceFiles: Map<string, Buffer>;
  executions: Map<string, Simulation>;
  /** Puts a flow on the server as if deployed by other means. */
  putFlow(source: string): void;
  close(): Promise<void>;
}

export async function startKestraStandIn(opts: StandInOptions = {}): Promise<KestraStandIn> {
  const tenant = opts.tenant ?? 'main';
  const stepMs = opts.stepMs ?? 100;
  const requests: RecordedRequest[] = [];
  const flows = new Map<string, StoredFlow>();
  const namespaceFiles = new Map<string, Buffer>();
  const executions = new Map<string, Simulation>();
  let baseUrl = '';

  const key = (ns: string, id: string) => `${ns}/${id}`;

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...headers });
    res.end(text);
  }

  /** Micronaut's JsonError, as ErrorController.jsonError builds it. */
  function jsonError(res: http.ServerResponse, status: number, href: string, message: string, errors?: { message: string; path: string }[]): void {
    send(res, status, {
      message,
      _links: { self: { href, templated: false } },
      ...(errors ? { _embedded: { errors: errors.map((e) => ({ message: e.message, path: e.path, _links: {} })) } } : {}),
    });
  }

  function authorised(req: http.IncomingMessage): boolean {
    if (!opts.basic && !opts.token) return true;
    const header = req.headers.authorization ?? '';
    if (opts.basic && header.startsWith('Basic ')) {
      const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      return user === opts.basic.username && rest.join(':') === opts.basic.password;
    }
    if (opts.token && header.startsWith('Bearer ')) return header.slice(7) === opts.token;
    return false;
  }

  function namespaceExists(ns: string): boolean {
    return !opts.namespaces || opts.namespaces.includes(ns);
  }

  /** What Kestra checks before saving a flow, reduced to what the tests need; violations as ConstraintViolations. */
  function violations(source: string): { flow?: { id: string; namespace: string; tasks: RawTask[]; inputs: { id: string; defaults?: unknown; required?: boolean }[] }; errors: { message: string; path: string }[] } {
    let doc: unknown;
    try {
      doc = parseYaml(source);
    } catch (err) {
      return { errors: [{ message: `Invalid YAML: ${err instanceof Error ? err.message : String(err)}`, path: 'source' }] };
    }
    const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
    const errors: { message: string; path: string }[] = [];
    if (typeof d.id !== 'string' || !d.id) errors.push({ message: 'must not be empty', path: 'id' });
    if (typeof d.namespace !== 'string' || !d.namespace) errors.push({ message: 'must not be empty', path: 'namespace' });
    const tasks = Array.isArray(d.tasks) ? (d.tasks as RawTask[]) : [];
    if (tasks.length === 0) errors.push({ message: 'must not be empty', path: 'tasks' });
    tasks.forEach((t, i) => {
      if (typeof t.type !== 'string' || !t.type.startsWith('io.kestra.')) errors.push({ message: `Invalid type: ${String(t.type)}`, path: `tasks[${i}].type` });
    });
    const inputs = (Array.isArray(d.inputs) ? d.inputs : []) as { id: string; defaults?: unknown; required?: boolean }[];
    return { flow: errors.length ? undefined : { id: String(d.id), namespace: String(d.namespace), tasks, inputs }, errors };
  }

  function invalidEntity(res: http.ServerResponse, href: string, errors: { message: string; path: string }[]): void {
    // ErrorController: "Invalid entity: " + the ConstraintViolationException's message ("path: message, …").
    jsonError(res, 422, href, `Invalid entity: ${errors.map((e) => `${e.path}: ${e.message}`).join(', ')}`, errors);
  }

  function flowJson(f: StoredFlow, withSource: boolean): Record<string, unknown> {
    const parsed = violations(f.source).flow;
    return { id: f.id, namespace: f.namespace, revision: f.revision, deleted: false, disabled: false, tasks: parsed?.tasks ?? [], ...(withSource ? { source: f.source } : {}) };
  }

  function readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  async function formData(req: http.IncomingMessage, body: Buffer): Promise<FormData> {
    const headers = new Headers();
    if (req.headers['content-type']) headers.set('content-type', req.headers['content-type']);
    return new Request('http://stand-in/', { method: 'POST', headers, body: new Uint8Array(body) }).formData();
  }

  function render(text: string, sim: Simulation, outputs: Map<string, Record<string, unknown>>): string {
    return text.replace(/\{\{\s*inputs\.([\w.-]+)\s*\}\}/g, (_m, id: string) => String(sim.execution.inputs[id] ?? '')).replace(/\{\{\s*outputs\.([\w-]+)\.value\s*\}\}/g, (_m, id: string) => String(outputs.get(id)?.value ?? ''));
  }

  function broadcast(sim: Simulation, log: LogJson): void {
    sim.logs.push(log);
    for (const res of sim.followers) res.write(`id: progress\ndata: ${JSON.stringify(log)}\n\n`);
  }

  function log(sim: Simulation, level: string, message: string, tr?: TaskRunJson): void {
    const e = sim.execution;
    broadcast(sim, {
      namespace: e.namespace,
      flowId: e.flowId,
      ...(tr ? { taskId: tr.taskId, taskRunId: tr.id, attemptNumber: 0 } : {}),
      executionId: e.id,
      timestamp: new Date().toISOString(),
      level,
      thread: 'worker',
      message,
    });
  }

  /** Runs the flow's tasks one step per tick, as a worker would. */
  function simulate(sim: Simulation, tasks: RawTask[]): void {
    const e = sim.execution;
    const outputs = new Map<string, Record<string, unknown>>();
    const steps: (() => boolean)[] = [];
    steps.push(() => {
      e.state = moveState(e.state, 'RUNNING');
      return true;
    });
    let failed = false;
    for (const task of tasks) {
      let tr: TaskRunJson | undefined;
      let sleepUntil = 0;
      steps.push(() => {
        if (failed) return true;
        tr = { id: kestraId(), executionId: e.id, namespace: e.namespace, flowId: e.flowId, taskId: String(task.id), value: null, attempts: [], state: newState('CREATED') };
        e.taskRunList.push(tr);
        return true;
      });
      steps.push(() => {
        if (failed || !tr) return true;
        tr.state = moveState(tr.state, 'RUNNING');
        tr.attempts = [{ state: newState('RUNNING') }];
        if (task.type === 'io.kestra.plugin.core.flow.Sleep') {
          const seconds = Number(/PT(\d+(?:\.\d+)?)S/.exec(String(task.duration ?? 'PT1S'))?.[1] ?? 1);
          sleepUntil = Date.now() + seconds * 1000;
        }
        return true;
      });
      steps.push(() => {
        if (failed || !tr) return true;
        if (sleepUntil && Date.now() < sleepUntil) return false;
        let end = 'SUCCESS';
        if (task.type === 'io.kestra.plugin.core.log.Log') log(sim, 'INFO', render(String(task.message ?? ''), sim, outputs), tr);
        else if (task.type === 'io.kestra.plugin.core.debug.Return') {
          const value = render(String(task.format ?? ''), sim, outputs);
          tr.outputs = { value };
          outputs.set(tr.taskId, tr.outputs);
        } else if (task.type === 'io.kestra.plugin.core.execution.Fail') {
          log(sim, 'ERROR', render(String(task.errorMessage ?? 'Task failure'), sim, outputs), tr);
          end = 'FAILED';
          failed = true;
        } else if (task.type !== 'io.kestra.plugin.core.flow.Sleep') {
          log(sim, 'INFO', `${String(task.type)} done`, tr);
        }
        tr.state = moveState(tr.state, end);
        tr.attempts = [{ state: moveState(tr.attempts[0]?.state ?? newState('RUNNING'), end) }];
        return true;
      });
    }
    steps.push(() => {
      e.state = moveState(e.state, failed ? 'FAILED' : 'SUCCESS');
      return true;
    });
    let k = 0;
    sim.timer = setInterval(() => {
      if (sim.killed || k >= steps.length) {
        clearInterval(sim.timer);
        return;
      }
      if (steps[k]()) k++;
    }, stepMs);
  }

  function kill(sim: Simulation): void {
    sim.killed = true;
    clearInterval(sim.timer);
    const e = sim.execution;
    e.state = moveState(e.state, 'KILLING');
    setTimeout(() => {
      for (const tr of e.taskRunList) if (!TERMINAL.has(tr.state.current)) tr.state = moveState(tr.state, 'KILLED');
      e.state = moveState(e.state, 'KILLED');
      log(sim, 'WARN', 'Execution killed');
    }, stepMs);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const header = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, contentType: req.headers['content-type'], auth: header?.startsWith('Basic ') ? 'basic' : header?.startsWith('Bearer ') ? 'bearer' : undefined });
    const href = url.pathname + url.search;
    if (!url.pathname.startsWith('/api/v1/')) return jsonError(res, 404, href, 'Not Found');
    if (!authorised(req)) {
      // AuthenticationFilter: HttpResponse.unauthorized() with the Basic challenge, no body.
      res.writeHead(401, { 'www-authenticate': 'Basic' });
      res.end();
      return;
    }
    const parts = url.pathname.split('/').slice(3).map(decodeURIComponent);
    if (parts[0] !== tenant) return jsonError(res, 404, href, 'Not Found');
    const [, area, ...rest] = parts;
    const method = req.method ?? 'GET';
    const body = await readBody(req);

    if (area === 'flows') {
      if (method === 'GET' && rest[0] === 'search') {
        const all = [...flows.values()].map((f) => flowJson(f, false));
        return send(res, 200, { results: all.slice(0, Number(url.searchParams.get('size') ?? 10)), total: all.length });
      }
      if (method === 'POST' && rest[0] === 'validate') {
        const v = violations(body.toString('utf8'));
        return send(res, 200, [
          {
            index: 0,
            flow: v.flow?.id,
            namespace: v.flow?.namespace,
            constraints: v.errors.length ? v.errors.map((e) => `${e.path}: ${e.message}`).join('\n') : null,
            outdated: false,
            deprecationPaths: [],
            warnings: [],
            infos: [],
          },
        ]);
      }
      if (method === 'POST' && rest.length === 0) {
        const source = body.toString('utf8');
        const v = violations(source);
        if (!v.flow) return invalidEntity(res, href, v.errors);
        if (!namespaceExists(v.flow.namespace)) return jsonError(res, 404, href, `Not Found: Namespace '${v.flow.namespace}' does not exist`);
        if (flows.has(key(v.flow.namespace, v.flow.id))) return invalidEntity(res, href, [{ message: 'Flow id already exists', path: 'flow.id' }]);
        const f: StoredFlow = { namespace: v.flow.namespace, id: v.flow.id, source, revision: 1 };
        flows.set(key(f.namespace, f.id), f);
        return send(res, 200, flowJson(f, true));
      }
      if (rest.length === 2) {
        const [ns, id] = rest;
        const f = flows.get(key(ns, id));
        if (method === 'GET') {
          if (!f) return jsonError(res, 404, href, 'Not Found');
          return send(res, 200, flowJson(f, url.searchParams.get('source') === 'true'));
        }
        if (method === 'PUT') {
          if (!f) return jsonError(res, 404, href, 'Not Found');
          const source = body.toString('utf8');
          const v = violations(source);
          if (!v.flow) return invalidEntity(res, href, v.errors);
          if (v.flow.id !== id || v.flow.namespace !== ns) return invalidEntity(res, href, [{ message: 'Illegal flow id update', path: 'flow.id' }]);
          f.source = source;
          f.revision += 1;
          return send(res, 200, flowJson(f, true));
        }
      }
    }

    if (area === 'namespaces') {
      const [ns, sub] = rest;
      if (!namespaceExists(ns)) return jsonError(res, 404, href, 'Not Found');
      if (method === 'GET' && rest.length === 1) return send(res, 200, { id: ns, deleted: false });
      if (sub === 'files' && rest.length === 2) {
        const filePath = url.searchParams.get('path') ?? '';
        if (method === 'GET') {
          const content = namespaceFiles.get(`${ns}:${filePath}`);
          if (!content) return jsonError(res, 404, href, `Not Found: File not found: ${filePath}`);
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(content);
          return;
        }
        if (method === 'POST') {
          const form = await formData(req, body);
          const part = form.get('fileContent');
          if (!(part instanceof Blob)) return jsonError(res, 422, href, 'Invalid route params: Required argument [CompletedFileUpload fileContent] not specified');
          namespaceFiles.set(`${ns}:${filePath}`, Buffer.from(await part.arrayBuffer()));
          res.writeHead(200);
          res.end();
          return;
        }
      }
    }

    if (area === 'executions') {
      if (method === 'POST' && rest.length === 2) {
        const [ns, id] = rest;
        const f = flows.get(key(ns, id));
        if (!f) return jsonError(res, 404, href, `Not Found: Flow '${ns}.${id}' not found`);
        const parsed = violations(f.source).flow;
        if (!parsed) return jsonError(res, 422, href, 'Illegal argument: the flow is not valid');
        const form = await formData(req, body);
        const inputs: Record<string, unknown> = {};
        const missing: { message: string; path: string }[] = [];
        for (const input of parsed.inputs) {
          const given = form.get(input.id);
          if (given instanceof Blob) inputs[input.id] = `kestra:///${ns.replaceAll('.', '/')}/${id}/executions/inputs/${input.id}/${(given as File).name ?? 'file'}`;
          else if (typeof given === 'string') inputs[input.id] = given;
          else if (input.defaults !== undefined) inputs[input.id] = input.defaults;
          else if (input.required !== false) missing.push({ message: 'Missing required input value', path: `inputs.${input.id}` });
        }
        if (missing.length) return invalidEntity(res, href, missing);
        const now = new Date();
        const exId = kestraId();
        const execution: ExecutionJson = {
          id: exId,
          tenantId: tenant,
          namespace: ns,
          flowId: id,
          flowRevision: f.revision,
          taskRunList: [],
          inputs,
          labels: [
            { key: 'system.correlationId', value: exId },
            { key: 'system.from', value: 'api' },
          ],
          state: newState('CREATED', now),
          originalId: exId,
          deleted: false,
          metadata: { attemptNumber: 1, originalCreatedDate: now.toISOString() },
        };
        const sim: Simulation = { execution, logs: [], followers: new Set(), killed: false };
        executions.set(exId, sim);
        simulate(sim, parsed.tasks);
        const uiPath = `/ui/${tenant}/executions/${ns}/${id}/${exId}`;
        return send(res, 200, { ...execution, url: opts.publicUrl ? `${baseUrl}${uiPath}` : uiPath });
      }
      const sim = executions.get(rest[0]);
      if (method === 'GET' && rest.length === 1) {
        if (!sim) return jsonError(res, 404, href, 'Not Found');
        return send(res, 200, sim.execution);
      }
      if (method === 'DELETE' && rest[1] === 'kill') {
        if (!sim) return jsonError(res, 404, href, 'Not Found');
        if (TERMINAL.has(sim.execution.state.current)) return jsonError(res, 409, href, "Illegal state: Execution is already finished, can't kill it");
        kill(sim);
        res.writeHead(202);
        res.end();
        return;
      }
    }

    if (area === 'logs') {
      const sim = executions.get(rest[0]);
      if (method === 'GET' && rest.length === 1) return send(res, 200, sim?.logs ?? []);
      if (method === 'GET' && rest[1] === 'follow') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        // LogController: a first "empty" event so the stream is open even with no logs yet.
        res.write(`id: start\ndata: {}\n\n`);
        for (const l of sim?.logs ?? []) res.write(`id: progress\ndata: ${JSON.stringify(l)}\n\n`);
        if (!sim) return;
        sim.followers.add(res);
        req.on('close', () => sim.followers.delete(res));
        return;
      }
    }

    return jsonError(res, 404, href, 'Not Found');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) jsonError(res, 500, req.url ?? '/', `Internal server error: ${err instanceof Error ? err.message : String(err)}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    requests,
    flows,
    namespaceFiles,
    executions,
    putFlow(source: string) {
      const v = violations(source);
      if (!v.flow) throw new Error(`stand-in: not a flow: ${v.errors.map((e) => e.message).join(', ')}`);
      flows.set(key(v.flow.namespace, v.flow.id), { namespace: v.flow.namespace, id: v.flow.id, source, revision: 1 });
    },
    async close() {
      for (const sim of executions.values()) {
        clearInterval(sim.timer);
        for (const res of sim.followers) res.end();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
