/**
 * "Run stale cells": runs the notebook's stale cells in flow order, one execution per cell
 * (the engine's `cell` run mode), each started when the one before has ended and its
 * outputs are stored, so the next cell runs with them. Staleness is read again after each
 * run: a cell that goes stale because an earlier cell of the batch ran is run too. Each cell
 * runs at most once per batch, and the batch stops at the first run that does not succeed.
 *
 * A stale cell nested in a stale flowable runs with that flowable, as the flow would run it;
 * a stale cell in a branch that does not run with the current inputs is left alone.
 */
import { hasErrors, type FlowSpec } from '../flow';
import { parseFlow } from '../tasks/catalog';
import type { Db } from '../db/client';
import { isSuccessful, type State } from '../model/states';
import { Problem } from '../model/problem';
import type { CellDto } from '../contract';
import type { RunStaleResponse } from '../contract/stale-runs';
import { analyseNotebook, type NotebookAnalysis } from './analysis';
import type { RunService } from './runs';
import type { NotebookService } from './service';

type Runs = Pick<RunService, 'start' | 'settled' | 'executionRow'>;

/** Notebooks with a batch going: one batch per notebook at a time. */
const running = new Set<string>();

/**
 * The next cell to run: the first stale cell in flow order not run in this batch, or the
 * outermost stale flowable around it. Undefined when none is left.
 */
export function nextStaleCell(analysis: Pick<NotebookAnalysis, 'cells' | 'untaken'>, done: ReadonlySet<string>): string | undefined {
  const byId = new Map(analysis.cells.map((c) => [c.taskId, c]));
  const runnable = (c: CellDto | undefined): c is CellDto => c !== undefined && c.stale && !c.disabled && !done.has(c.taskId) && !analysis.untaken.has(c.taskId);
  for (const cell of analysis.cells) {
    if (!runnable(cell)) continue;
    let unit = cell;
    for (let parent = byId.get(cell.parentId ?? ''); parent; parent = byId.get(parent.parentId ?? '')) {
      if (runnable(parent)) unit = parent;
    }
    return unit.taskId;
  }
  return undefined;
}

/** Stale cells the batch leaves alone: their branch does not run with the current inputs. */
export function skippedStaleCells(analysis: Pick<NotebookAnalysis, 'cells' | 'untaken'>): string[] {
  return analysis.cells.filter((c) => c.stale && analysis.untaken.has(c.taskId)).map((c) => c.taskId);
}

/** The cells the batch would run now, in order, if every run left the others as they are. */
function plannedCells(analysis: NotebookAnalysis): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  for (let id = nextStaleCell(analysis, done); id !== undefined; id = nextStaleCell(analysis, done)) {
    out.push(id);
    markDone(analysis, id, done);
  }
  return out;
}

/** A unit and every cell nested in it. */
function markDone(analysis: Pick<NotebookAnalysis, 'cells'>, taskId: string, done: Set<string>): void {
  done.add(taskId);
  for (const c of analysis.cells) if (c.parentId !== undefined && done.has(c.parentId)) done.add(c.taskId);
}

export class StaleRunner {
  constructor(
    private readonly db: Db,
    private readonly runs: Runs,
    private readonly notebooks: Pick<NotebookService, 'row'>,
  ) {}

  private async analysis(notebookId: string, inputs: Record<string, unknown>): Promise<{ analysis: NotebookAnalysis; flow: FlowSpec }> {
    const row = await this.notebooks.row(notebookId);
    const parsed = parseFlow(row.yaml);
    if (!parsed.flow || hasErrors(parsed.issues)) throw Problem.invalidYaml(parsed.issues);
    return { analysis: await analyseNotebook(this.db, notebookId, parsed, parsed.flow, inputs), flow: parsed.flow };
  }

  /** Starts the next cell of the batch; undefined when none is left. */
  private async step(notebookId: string, inputs: Record<string, unknown>, done: Set<string>): Promise<string | undefined> {
    const { analysis } = await this.analysis(notebookId, inputs);
    const taskId = nextStaleCell(analysis, done);
    if (taskId === undefined) return undefined;
    markDone(analysis, taskId, done);
    return (await this.runs.start(notebookId, { mode: 'cell', taskId, inputs })).executionId;
  }

  /** Starts the batch and answers with its first execution; the rest run one after another. */
  async start(notebookId: string, inputs: Record<string, unknown> = {}): Promise<RunStaleResponse> {
    if (running.has(notebookId)) throw new Problem('conflict', 'the stale cells of this notebook are already running');
    const { analysis } = await this.analysis(notebookId, inputs);
    const taskIds = plannedCells(analysis);
    const skipped = skippedStaleCells(analysis);
    if (taskIds.length === 0) return { taskIds, skipped };
    running.add(notebookId);
    const done = new Set<string>();
    let first: string | undefined;
    try {
      first = await this.step(notebookId, inputs, done);
    } catch (err) {
      running.delete(notebookId);
      throw err;
    }
    if (first === undefined) {
      running.delete(notebookId);
      return { taskIds: [], skipped };
    }
    void this.continue(notebookId, inputs, first, done).finally(() => running.delete(notebookId));
    return { executionId: first, taskIds, skipped };
  }

  /** Waits for each run to end and be stored, then starts the next stale cell while runs succeed. */
  private async continue(notebookId: string, inputs: Record<string, unknown>, executionId: string, done: Set<string>): Promise<void> {
    try {
      for (let current: string | undefined = executionId; current !== undefined; ) {
        await this.runs.settled(current);
        const row = await this.runs.executionRow(current);
        if (!isSuccessful(row.state as State)) return;
        current = await this.step(notebookId, inputs, done);
      }
    } catch (err) {
      console.error(`flowbook: running the stale cells of notebook ${notebookId} stopped:`, err);
    }
  }

  /** Whether a batch of this notebook is still going (for tests). */
  static busy(notebookId: string): boolean {
    return running.has(notebookId);
  }
}
