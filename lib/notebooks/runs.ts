/**
 * Starting, cancelling and reading executions of notebooks. A run of one cell gets the
 * latest successful outputs of this notebook's earlier executions as seeds, so it sees
 * what earlier cells produced; when one it needs is missing the engine refuses, and the
 * user is told which cell to run first.
 */
import { hasErrors, walkTasks, type FlowSpec } from '../flow';
import { parseFlow } from '../tasks/catalog';
import type { Engine, ExecutionResult, RunMode } from '../engine';
import type { Db } from '../db/client';
import { Problem } from '../model/problem';
import type { ExecutionDetailDto, ExecutionDto, LogDto, RunModeKind, StartRunRequest } from '../contract';
import type { EventPersister } from '../persistence/persister';
import { notebookOrigin } from './origin';
import { executionDto, logDto, taskRunDto } from '../persistence/rows';
import { seedOutputs } from './history';
import type { NotebookService } from './service';
import { isUploadToken, type UploadStore } from './uploads';
import { newId } from '../model/ids';

export const MAX_LOG_PAGE = 10_000;

export class RunService {
  private readonly done = new Map<string, Promise<ExecutionResult>>();

  constructor(
    private readonly db: Db,
    private readonly engine: Pick<Engine, 'start' | 'cancel' | 'running'>,
    private readonly persister: EventPersister,
    private readonly notebooks: NotebookService,
    /** Where FILE inputs uploaded through the browser are kept; without it upload tokens are refused. */
    private readonly uploads?: UploadStore,
  ) {}

  /**
   * FILE inputs given as upload tokens become the stored files the engine copies into the
   * execution; storage URIs pass through; server paths are refused.
   */
  private resolveUploads(notebookId: string, flow: FlowSpec, inputs: Record<string, unknown>): Record<string, unknown> {
    const out = { ...inputs };
    for (const spec of flow.inputs) {
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

  async start(notebookId: string, req: StartRunRequest): Promise<{ executionId: string }> {
    const notebook = await this.notebooks.row(notebookId);
    if (notebook.deletedAt) throw new Problem('conflict', `notebook ${notebookId} is deleted: restore it to run it`);
    const parsed = parseFlow(notebook.yaml);
    if (!parsed.flow || hasErrors(parsed.issues)) throw Problem.invalidYaml(parsed.issues);
    const flow = parsed.flow;
    const mode = runMode(req.mode, req.taskId, flow);
    const inputs = this.resolveUploads(notebookId, flow, req.inputs ?? {});
    const executionId = newId();
    const origin = notebookOrigin({ notebookId, yaml: notebook.yaml, flow, mode: req.mode, targetTaskId: mode.kind === 'all' ? undefined : mode.taskId });
    try {
      const seeds = mode.kind === 'all' ? {} : await seedOutputs(this.db, notebookId);
      const { done } = this.engine.start({ flow, inputs, mode, seedOutputs: seeds, executionId, origin });
      this.done.set(executionId, done);
      done
        .catch((err: unknown) => console.error(`flowbook: execution ${executionId} failed inside the engine:`, err))
        .finally(() => this.done.delete(executionId));
    } catch (err) {
      throw startProblem(err);
    }
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
    await this.executionRow(executionId);
    const rows = await this.db.logLine.findMany({
      where: { executionId, seq: { gt: afterSeq } },
      orderBy: { seq: 'asc' },
      take: Math.min(Math.max(1, limit), MAX_LOG_PAGE),
    });
    return rows.map(logDto);
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
