/**
 * Starting, cancelling and reading executions of notebooks. A run of one cell gets the
 * latest successful outputs of this notebook's earlier executions as seeds, so it sees
 * what earlier cells produced; when one it needs is missing the engine refuses, and the
 * user is told which cell to run first.
 */
import { hasErrors, walkTasks, type FlowSpec } from '../flow';
import { firstTriggerRead } from '../flow/trigger-refs';
import { scheduleSpecs, type ScheduleSpec } from '../flow/schedule-calc';
import { planRun } from '../engine/plan';
import { parseFlow } from '../tasks/catalog';
import type { Engine, ExecutionResult, RunMode } from '../engine';
import type { Db } from '../db/client';
import { Problem } from '../model/problem';
import type { ExecutionDetailDto, ExecutionDto, LogDto, RunModeKind, StartRunRequest } from '../contract';
import type { EventPersister } from '../persistence/persister';
import { notebookOrigin } from './origin';
import { executionDto, parseJson, taskRunDto } from '../persistence/rows';
import type { TaskRun as TaskRunRow } from '../db/client';
import type { ExecutionOrigin } from '../engine/events';
import { seedOutputs } from './history';
import type { NotebookService } from './service';
import { isUploadToken, type UploadStore } from './uploads';
import { newId } from '../model/ids';
import type { InputSpec } from '../flow';

export const MAX_LOG_PAGE = 10_000;
const LOG_TEXT_PAGE = 5_000;

export class RunService {
  private readonly done = new Map<string, Promise<ExecutionResult>>();

  constructor(
    private readonly db: Db,
    private readonly engine: Pick<Engine, 'start' | 'cancel' | 'running' | 'resume' | 'pausedOnResume'>,
    private readonly persister: EventPersister,
    private readonly notebooks: NotebookService,
    /** Where FILE inputs uploaded through the browser are kept; without it upload tokens are refused. */
    private readonly uploads?: UploadStore,
  ) {}

  /**
   * FILE inputs given as upload tokens become the stored files the engine copies into the
   * execution; storage URIs pass through; server paths are refused.
   */
  private resolveUploads(notebookId: string, specs: readonly InputSpec[], inputs: Record<string, unknown>): Record<string, unknown> {
    const out = { ...inputs };
    for (const spec of specs) {
      const value = out[spec.id];
      if (spec.type !== 'FILE' || value === undefined || value === null || value === '') continue;
      if (!isUploadToken(value)) {
        // A path on the server would let a browser copy any file Flowbook can read into storage.
        if (typeof value === 'string' && value.startsWith('kestra:///')) continue;
        throw new Problem('unprocessable', `input ${spec.id}: upload the file; a path on the server is not accepted here`, { inputId: spec.id });
      }
      if (!this.uploads) throw new Problem('unprocessable', `input ${spec.id}: uploads are not available on this server`, { inputId: spec.id });
      out[spec.id] = this.uploads.resolve(notebookId, spec.id, value);
    }
    return out;
  }

  /**
   * Resumes an execution waiting at a Pause (Kestra's `POST /executions/{id}/resume`) with
   * the values of its `onResume` inputs; values that do not fit are refused (422, naming the
   * input) and leave it PAUSED.
   */
  async resume(executionId: string, inputs: Record<string, unknown>): Promise<{ resumed: true }> {
    const row = await this.executionRow(executionId);
    // The engine knows first (the stored state follows it): only an execution it still runs can be paused.
    if (!this.engine.running().includes(executionId)) throw new Problem('conflict', `execution ${executionId} is ${row.state}, not PAUSED: there is nothing to resume`);
    try {
      // A FILE onResume input comes as an upload of the page's form, as a FILE flow input does.
      this.engine.resume(executionId, this.resolveUploads(row.notebookId, this.engine.pausedOnResume(executionId), inputs));
    } catch (err) {
      throw startProblem(err);
    }
    return { resumed: true };
  }

  /**
   * After a restart, each execution a previous server left waiting at a Pause goes on in this
   * engine (recovery left it PAUSED): same id, inputs and labels, its ended task runs kept, and
   * PAUSED again until resumed, or resumed at once when its pauseDuration passed meanwhile.
   * `openInput` opens the SECRET inputs stored sealed.
   */
  async continuePaused(executionIds: readonly string[], openInput: (inputId: string, value: unknown) => unknown): Promise<void> {
    for (const id of executionIds) {
      try {
        this.continueOne(await this.executionRow(id), openInput, await this.db.taskRun.findMany({ where: { executionId: id }, orderBy: [{ ord: 'asc' }, { id: 'asc' }] }));
      } catch (err) {
        console.error(`flowbook: paused execution ${id} cannot go on after the restart:`, err);
        // Left as it is, it would wait for a resume that cannot come.
        this.engine.cancel(id);
      }
    }
  }

  private continueOne(row: Awaited<ReturnType<RunService['executionRow']>>, openInput: (inputId: string, value: unknown) => unknown, taskRuns: TaskRunRow[]): void {
    const parsed = parseFlow(row.flowYaml);
    if (!parsed.flow || hasErrors(parsed.issues)) throw Problem.invalidYaml(parsed.issues);
    const stored = parseJson<Record<string, unknown>>(row.inputs, {});
    const inputs = Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, openInput(k, v)]));
    const mode: RunMode = row.mode === 'all' || !row.targetTaskId ? { kind: 'all' } : { kind: row.mode as Exclude<RunModeKind, 'all'>, taskId: row.targetTaskId };
    const trigger = row.triggerId && row.triggerDate ? { id: row.triggerId, date: row.triggerDate.toISOString() } : undefined;
    const origin: ExecutionOrigin = {
      notebookId: row.notebookId,
      mode: mode.kind,
      ...(mode.kind === 'all' ? {} : { targetTaskId: mode.taskId }),
      flowYaml: row.flowYaml,
      cellHashes: parseJson(row.cellHashes, {}),
      ...(trigger ? { trigger } : {}),
    };
    const { done } = this.engine.start({
      flow: parsed.flow,
      inputs,
      labels: parseJson(row.labels, {}),
      mode,
      executionId: row.id,
      origin,
      ...(trigger ? { triggerDate: trigger.date, triggerId: trigger.id } : {}),
      continueFrom: { taskRuns: taskRuns.map(taskRunDto), startDate: row.startDate.toISOString() },
    });
    this.done.set(row.id, done);
    done
      .catch((err: unknown) => console.error(`flowbook: execution ${row.id} failed inside the engine:`, err))
      .finally(() => this.done.delete(row.id));
  }

  async start(notebookId: string, req: StartRunRequest): Promise<{ executionId: string }> {
    const notebook = await this.notebooks.row(notebookId);
    if (notebook.deletedAt) throw new Problem('conflict', `notebook ${notebookId} is deleted: restore it to run it`);
    const parsed = parseFlow(notebook.yaml);
    if (!parsed.flow || hasErrors(parsed.issues)) throw Problem.invalidYaml(parsed.issues);
    const flow = parsed.flow;
    const mode = runMode(req.mode, req.taskId, flow);
    const trigger = req.triggerDate === undefined ? undefined : { spec: scheduleFor(flow, req.triggerId), date: triggerInstant(req.triggerDate) };
    if (!trigger) refuseTriggerReads(flow, mode);
    // As a scheduled run: the trigger's own inputs win over the form's.
    const inputs = this.resolveUploads(notebookId, flow.inputs, { ...req.inputs, ...trigger?.spec.inputs });
    const executionId = newId();
    const origin = notebookOrigin({
      notebookId,
      yaml: notebook.yaml,
      flow,
      mode: req.mode,
      targetTaskId: mode.kind === 'all' ? undefined : mode.taskId,
      trigger: trigger && { id: trigger.spec.id, date: trigger.date },
    });
    try {
      const seeds = mode.kind === 'all' ? {} : await seedOutputs(this.db, notebookId);
      const { done } = this.engine.start({ flow, inputs, mode, seedOutputs: seeds, executionId, origin, triggerDate: trigger?.date, triggerId: trigger?.spec.id });
      this.done.set(executionId, done);
      done
        .catch((err: unknown) => console.error(`flowbook: execution ${executionId} failed inside the engine:`, err))
        .finally(() => this.done.delete(executionId));
    } catch (err) {
      throw startProblem(err);
    }
    // The id goes out once its execution is stored: whoever has it can read it at once.
    await this.persister.stored();
    return { executionId };
  }

  /** Resolves when the engine is done with the execution and its events are stored. */
  async settled(executionId: string): Promise<void> {
    await this.done.get(executionId)?.catch(() => undefined);
    await this.persister.idle();
  }

  async cancel(executionId: string): Promise<{ cancelled: boolean }> {
    await this.executionRow(executionId);
    return { cancelled: this.engine.cancel(executionId) };
  }

  async listForNotebook(notebookId: string, limit = 100): Promise<ExecutionDto[]> {
    await this.notebooks.row(notebookId);
    const rows = await this.db.execution.findMany({ where: { notebookId }, orderBy: { startDate: 'desc' }, take: limit });
    return rows.map(executionDto);
  }

  async detail(executionId: string): Promise<ExecutionDetailDto> {
    const row = await this.executionRow(executionId);
    const taskRuns = await this.db.taskRun.findMany({ where: { executionId }, orderBy: [{ ord: 'asc' }, { id: 'asc' }] });
    return { execution: executionDto(row), taskRuns: taskRuns.map(taskRunDto) };
  }

  async logs(executionId: string, afterSeq = 0, limit = MAX_LOG_PAGE): Promise<LogDto[]> {
    // Read while the run writes, page after page: the hot path's prepared statements serve it.
    const page = await this.persister.logPage(executionId, afterSeq, Math.min(Math.max(1, limit), MAX_LOG_PAGE));
    if (!page) throw Problem.notFound(`execution ${executionId}`);
    return page;
  }

  /**
   * The stored log as text, one line per log line (`time level task message`), read from
   * the database page by page so a log of millions of lines never sits in memory at once.
   */
  async logText(executionId: string): Promise<{ fileName: string; lines: AsyncIterable<string> }> {
    const row = await this.executionRow(executionId);
    const db = this.db;
    async function* lines(): AsyncGenerator<string> {
      let after = 0;
      for (;;) {
        const page = await db.logLine.findMany({ where: { executionId, seq: { gt: after } }, orderBy: { seq: 'asc' }, take: LOG_TEXT_PAGE });
        for (const l of page) yield `${l.at.toISOString()} ${l.level.padEnd(5)} ${l.taskId ?? '-'} ${l.message}\n`;
        if (page.length < LOG_TEXT_PAGE) return;
        after = page[page.length - 1].seq;
      }
    }
    return { fileName: `${row.flowId}-${executionId}.log`, lines: lines() };
  }

  async executionRow(executionId: string) {
    const row = await this.db.execution.findUnique({ where: { id: executionId } });
    if (!row) throw Problem.notFound(`execution ${executionId}`);
    return row;
  }
}

function runMode(kind: RunModeKind, taskId: string | undefined, flow: FlowSpec): RunMode {
  if (kind === 'all') return { kind: 'all' };
  if (!taskId) throw new Problem('invalid', `run mode "${kind}" needs a taskId`);
  if (!walkTasks(flow).some((l) => l.task.id === taskId)) throw new Problem('not-found', `there is no cell "${taskId}" in this notebook`);
  return { kind, taskId };
}

/** The Schedule trigger a run should run as: the one named, or the flow's only one. */
function scheduleFor(flow: FlowSpec, triggerId: string | undefined): ScheduleSpec {
  const specs = scheduleSpecs(flow.triggers);
  if (specs.length === 0) throw new Problem('unprocessable', `flow ${flow.id} has no Schedule trigger to run as`);
  if (triggerId === undefined) {
    if (specs.length === 1) return specs[0];
    throw new Problem('invalid', `flow ${flow.id} has ${specs.length} Schedule triggers (${specs.map((s) => s.id).join(', ')}): say which one to run as`);
  }
  const spec = specs.find((s) => s.id === triggerId);
  if (!spec) throw new Problem('not-found', `flow ${flow.id} has no Schedule trigger "${triggerId}" (it has ${specs.map((s) => s.id).join(', ')})`);
  return spec;
}

/** `trigger.date` as Kestra writes it: an ISO instant in UTC, without milliseconds when they are zero. */
function triggerInstant(text: string): string {
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Problem('invalid', `trigger date "${text}" is not an ISO date-time`);
  return at.toISOString().replace('.000Z', 'Z');
}

/**
 * A run started by hand has no trigger: a cell that reads `trigger.date` would fail deep in
 * its template, so the run is refused up front with what to do instead.
 */
function refuseTriggerReads(flow: FlowSpec, mode: RunMode): void {
  const read = firstTriggerRead(flow, planRun(flow, mode).tasks);
  if (!read) return;
  const how = scheduleSpecs(flow.triggers).length > 0 ? 'use Run as trigger… (or --trigger-date on the CLI)' : 'add a Schedule trigger and use Run as trigger… (or --trigger-date on the CLI)';
  throw new Problem('unprocessable', `this flow reads ${read.expression}: ${how}. Cell ${read.taskId} reads it, and only a trigger sets it.`);
}

/** The engine's refusals, as the API reports them. */
export function startProblem(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const fields = err as Error & { missingTaskId?: unknown; inputId?: unknown; taskId?: unknown };
  if (err.name === 'MissingUpstreamError' && typeof fields.missingTaskId === 'string') {
    return new Problem('conflict', err.message, { missingTaskId: fields.missingTaskId }, { cause: err });
  }
  if (err.name === 'InputError') {
    return new Problem('unprocessable', err.message, typeof fields.inputId === 'string' ? { inputId: fields.inputId } : {}, { cause: err });
  }
  if (err.name === 'UnknownTaskError') return new Problem('not-found', err.message, {}, { cause: err });
  return err;
}
