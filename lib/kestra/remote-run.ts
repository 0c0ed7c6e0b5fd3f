/**
 * Runs on a Kestra server, watched from the notebook. Starting one posts the inputs to Kestra's
 * execution endpoint; following it polls the execution (state and task runs) and follows its
 * log stream, and every change becomes the same engine event a local run publishes. So the
 * persister stores it and socket.io sends it like any other execution of the notebook: the
 * cells show the remote task runs, marked remote, with a link to Kestra's UI.
 *
 * Kestra's execution id is used as is: the run has one name on both sides.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client';
import type { EventBus, ExecutionOrigin } from '../engine';
import { hasErrors } from '../flow';
import { Problem } from '../model/problem';
import { isTerminal } from '../model/states';
import { UPLOAD_TOKEN_PREFIX, type RemoteRunDto, type RemoteRunRequest } from '../contract';
import { notebookOrigin } from '../notebooks/origin';
import { storedInputValues } from '../notebooks/input-values';
import { parseJson, toJson } from '../persistence/rows';
import { parseFlow } from '../tasks/catalog';
import type { KestraExecution, KestraLogEntry } from './api-types';
import { KestraApiError, KestraClient, type ExecutionInput, type KestraTarget } from './client';
import { executionOf, flowbookState, logKey, logLineOf, taskRunOf, type RemoteLink } from './mapping';
import { kestraProblem, type KestraServerStore } from './servers';

const REGISTRY_KEY = 'kestraRemoteRuns';
/** The registry keeps the latest runs only; older ones live on in Kestra and in the execution list. */
const REGISTRY_SIZE = 200;
/** Consecutive failed polls (about a minute at the default pace) before Flowbook stops following. */
const MAX_POLL_FAILURES = 60;

export interface RemoteRunOptions {
  db: Db;
  bus: EventBus;
  servers: KestraServerStore;
  /** Where FILE inputs uploaded through the browser are kept (a path on disk per token). */
  uploads?: { resolve(notebookId: string, inputId: string, token: string): string };
  /** Between two polls of the execution (default 1 s). */
  pollMs?: number;
  clientFor?: (target: KestraTarget) => KestraClient;
}

interface Follow {
  client: KestraClient;
  stop: AbortController;
  done: Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A form value as Kestra's multipart inputs take it: text, or a file part for an uploaded FILE. */
async function inputValue(value: unknown, file: (token: string) => string): Promise<ExecutionInput | undefined> {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    if (value.startsWith(UPLOAD_TOKEN_PREFIX)) {
      const filePath = file(value);
      return { fileName: path.basename(filePath), content: await fs.promises.readFile(filePath) };
    }
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // JSON, ARRAY and MULTISELECT inputs travel as JSON text, as Kestra's UI sends them.
  return JSON.stringify(value);
}

export class RemoteRunService {
  private readonly following = new Map<string, Follow>();
  private registryWrite: Promise<void> = Promise.resolve();
  private readonly pollMs: number;
  private readonly clientFor: (target: KestraTarget) => KestraClient;

  constructor(private readonly opts: RemoteRunOptions) {
    this.pollMs = opts.pollMs ?? 1000;
    this.clientFor = opts.clientFor ?? ((target) => new KestraClient(target));
  }

  isFollowing(executionId: string): boolean {
    return this.following.has(executionId);
  }

  /** Resolves once Flowbook stopped following the run (it ended, or was given up). */
  async settled(executionId: string): Promise<void> {
    await this.following.get(executionId)?.done;
  }

  async start(req: RemoteRunRequest): Promise<RemoteRunDto> {
    const notebook = await this.opts.db.notebook.findUnique({ where: { id: req.notebookId } });
    if (!notebook) throw Problem.notFound(`notebook ${req.notebookId}`);
    if (notebook.deletedAt) throw new Problem('conflict', `notebook ${req.notebookId} is deleted: restore it to run it`);
    const local = parseFlow(notebook.yaml);
    if (!local.flow || hasErrors(local.issues)) throw Problem.invalidYaml(local.issues);
    const { server, target } = await this.opts.servers.resolve(req.serverId);
    const client = this.clientFor(target);
    const { namespace, id } = local.flow;
    try {
      const deployed = await client.getFlow(namespace, id);
      if (!deployed) throw new Problem('not-found', `flow ${namespace}.${id} is not on ${client.label}: deploy it first (Deploy to Kestra)`);
      // Staleness is judged against what Kestra runs: the deployed source when it parses.
      const remoteSource = deployed.source ?? notebook.yaml;
      const remote = parseFlow(remoteSource);
      const runs = remote.flow && !hasErrors(remote.issues) ? { yaml: remoteSource, flow: remote.flow } : { yaml: notebook.yaml, flow: local.flow };
      const origin = notebookOrigin({ notebookId: notebook.id, yaml: runs.yaml, flow: runs.flow, mode: 'all' });
      // Without values in the request: those typed into the notebook's inputs form (saved as typed);
      // inputs left at their default are not sent, so Kestra applies the flow's own defaults.
      const declared = new Set(runs.flow.inputs.map((i) => i.id));
      const values = req.inputs ?? Object.fromEntries(Object.entries(await storedInputValues(this.opts.db, notebook.id)).filter(([k]) => declared.has(k)));
      const inputs: Record<string, ExecutionInput> = {};
      for (const [key, value] of Object.entries(values)) {
        const v = await inputValue(value, (token) => {
          if (!this.opts.uploads) throw new Problem('unprocessable', `input ${key}: uploads are not available on this server`, { inputId: key });
          return this.opts.uploads.resolve(notebook.id, key, token);
        });
        if (v !== undefined) inputs[key] = v;
      }
      const startedAt = new Date().toISOString();
      const execution = await client.createExecution(namespace, id, inputs);
      const url = client.executionUiUrl(execution);
      const dto: RemoteRunDto = {
        executionId: execution.id,
        notebookId: notebook.id,
        serverId: server.id,
        serverName: server.name,
        url,
        startedAt,
        differsFromNotebook: deployed.source !== undefined && deployed.source.replace(/\s+$/, '') !== notebook.yaml.replace(/\s+$/, ''),
      };
      await this.record(dto);
      this.follow(client, execution, origin, { server: server.name, url }, startedAt);
      return dto;
    } catch (err) {
      throw kestraProblem(err);
    }
  }

  /** Asks Kestra to kill the run; false when Kestra says it already ended. */
  async cancel(executionId: string): Promise<{ cancelled: boolean }> {
    let client = this.following.get(executionId)?.client;
    if (!client) {
      const run = (await this.registry()).find((r) => r.executionId === executionId);
      if (!run) throw Problem.notFound(`remote run ${executionId}`);
      client = this.clientFor((await this.opts.servers.resolve(run.serverId)).target);
    }
    try {
      await client.killExecution(executionId);
      return { cancelled: true };
    } catch (err) {
      if (err instanceof KestraApiError && err.kind === 'conflict') return { cancelled: false };
      throw kestraProblem(err);
    }
  }

  /** The notebook's latest runs on Kestra servers, newest first. */
  async list(notebookId: string): Promise<RemoteRunDto[]> {
    return (await this.registry()).filter((r) => r.notebookId === notebookId).reverse();
  }

  /** Stops following every run (the server is shutting down); Kestra keeps running them. */
  async close(): Promise<void> {
    const all = [...this.following.values()];
    for (const f of all) f.stop.abort();
    await Promise.all(all.map((f) => f.done));
  }

  private async registry(): Promise<RemoteRunDto[]> {
    const row = await this.opts.db.setting.findUnique({ where: { key: REGISTRY_KEY } });
    return parseJson<RemoteRunDto[]>(row?.value, []);
  }

  private record(run: RemoteRunDto): Promise<void> {
    // One write at a time: two runs started together must both be kept.
    this.registryWrite = this.registryWrite.then(async () => {
      const runs = [...(await this.registry()).filter((r) => r.executionId !== run.executionId), run].slice(-REGISTRY_SIZE);
      const value = toJson(runs);
      await this.opts.db.setting.upsert({ where: { key: REGISTRY_KEY }, create: { key: REGISTRY_KEY, value }, update: { value } });
    });
    return this.registryWrite;
  }

  private follow(client: KestraClient, first: KestraExecution, origin: ExecutionOrigin, link: RemoteLink, startedAt: string): void {
    const stop = new AbortController();
    const follow: Follow = { client, stop, done: Promise.resolve() };
    this.following.set(first.id, follow);
    follow.done = this.watch(client, first, origin, link, startedAt, stop.signal)
      .catch((err: unknown) => console.error(`flowbook: following Kestra execution ${first.id} failed:`, err))
      .finally(() => this.following.delete(first.id));
  }

  private async watch(client: KestraClient, first: KestraExecution, origin: ExecutionOrigin, link: RemoteLink, startedAt: string, stop: AbortSignal): Promise<void> {
    const { bus } = this.opts;
    const id = first.id;
    const emittedRuns = new Map<string, string>();
    const seenLogs = new Map<string, number>();
    const lastError = new Map<string, string>();
    let lastState = '';

    const emitLog = (entry: KestraLogEntry) => {
      const key = logKey(entry);
      seenLogs.set(key, (seenLogs.get(key) ?? 0) + 1);
      const line = logLineOf(entry, id);
      if (line.level === 'ERROR' && line.taskRunId) lastError.set(line.taskRunId, line.message);
      bus.emit({ kind: 'log', log: line });
    };
    /** Lines of a full listing the stream has not brought yet (a line may repeat: they are counted). */
    const catchUpLogs = async () => {
      const counts = new Map<string, number>();
      for (const entry of await client.listLogs(id)) {
        const key = logKey(entry);
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        if (n > (seenLogs.get(key) ?? 0)) emitLog(entry);
      }
    };
    const emitTaskRuns = (execution: KestraExecution) => {
      for (const tr of execution.taskRunList ?? []) {
        const run = taskRunOf(tr, id, link, lastError.get(tr.id));
        const text = JSON.stringify(run);
        if (emittedRuns.get(tr.id) === text) continue;
        emittedRuns.set(tr.id, text);
        bus.emit({ kind: 'taskrun', taskRun: run });
      }
    };
    const firstError = () => [...lastError.values()][0];
    const emitExecution = (execution: KestraExecution, error?: string) => {
      lastState = execution.state.current;
      bus.emit({ kind: 'execution', execution: executionOf(execution, origin, startedAt, error) });
    };

    emitExecution(first);
    emitTaskRuns(first);

    const logsStop = new AbortController();
    const onStop = () => logsStop.abort();
    stop.addEventListener('abort', onStop, { once: true });
    let streamBroken = false;
    const stream = client.followLogs(id, emitLog, logsStop.signal).catch((err: unknown) => {
      // The stream is a convenience: polling the list below catches up without it.
      streamBroken = true;
      console.warn(`flowbook: log stream of Kestra execution ${id} unavailable, polling instead: ${err instanceof Error ? err.message : String(err)}`);
    });

    let execution = first;
    let failures = 0;
    try {
      while (!stop.aborted && !isTerminal(flowbookState(execution.state.current))) {
        await sleep(this.pollMs, stop);
        if (stop.aborted) break;
        try {
          execution = await client.getExecution(id);
          failures = 0;
        } catch (err) {
          if (++failures < MAX_POLL_FAILURES) continue;
          bus.emit({ kind: 'log', log: { executionId: id, level: 'ERROR', message: `Flowbook lost contact with ${client.label} and stopped following this execution; it may still run there: ${link.url} (${err instanceof Error ? err.message : String(err)})`, at: new Date().toISOString() } });
          bus.emit({ kind: 'execution', execution: { ...executionOf(execution, origin, startedAt), state: 'KILLED', endDate: new Date().toISOString(), error: `Flowbook lost contact with ${client.label}` } });
          return;
        }
        if (streamBroken) await catchUpLogs().catch(() => undefined);
        emitTaskRuns(execution);
        if (execution.state.current !== lastState && !isTerminal(flowbookState(execution.state.current))) emitExecution(execution);
      }
      if (stop.aborted) return;
      // The end: the lines still in flight, then the task runs with their errors, then the state.
      await catchUpLogs().catch((err: unknown) => console.warn(`flowbook: final logs of Kestra execution ${id} not read: ${err instanceof Error ? err.message : String(err)}`));
      emitTaskRuns(execution);
      emitExecution(execution, firstError());
    } finally {
      logsStop.abort();
      stop.removeEventListener('abort', onStop);
      await stream;
    }
  }
}
