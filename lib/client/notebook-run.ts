/**
 * What the notebook page knows about running, as a pure fold of events: the execution it
 * follows and the task runs the engine has reported for it, the starts still waiting for
 * the server's answer, and the errors to show. The saved notebook (each cell's latest
 * run) stays in its own query; `cellsWithRuns` combines the two where the page needs both.
 * The I/O that produces these events lives in `useNotebookRun`.
 */
import type { CellDto, ExecutionDto, RunModeKind, State, TaskRun } from '@/lib/contract';
import { assertNever, isTerminal } from '@/lib/model/states';
import type { ExecutionEvent } from './execution-store';

export interface LiveExecution {
  executionId: string;
  /** Absent until the snapshot or an announcement brings it. */
  execution?: ExecutionDto;
  /** Every task run reported so far by id, in the order each first appeared. */
  taskRuns: ReadonlyMap<string, TaskRun>;
  /** The execution ended and the server said so; the saved notebook is worth reading again. */
  finished: boolean;
}

export interface PendingStart {
  requestId: number;
  mode: RunModeKind;
  taskId?: string;
}

/** Shown on a cell whose run was refused; `missingTaskId` is the cell to run first. */
export interface CellMessage {
  text: string;
  missingTaskId?: string;
}

export interface NotebookRunState {
  live?: LiveExecution;
  pending: readonly PendingStart[];
  /** Above the cells: the last run or stop request that went wrong. */
  banner?: string;
  messages: Readonly<Record<string, CellMessage>>;
  inputErrors: Readonly<Record<string, string>>;
}

export type NotebookRunEvent =
  | { type: 'run-requested'; requestId: number; mode: RunModeKind; taskId?: string }
  | { type: 'inputs-refused'; errors: Readonly<Record<string, string>> }
  | { type: 'run-started'; requestId: number; executionId: string }
  | { type: 'run-refused'; requestId: number; message: string; missingTaskId?: string; inputId?: string }
  | { type: 'stop-refused'; message: string }
  | { type: 'input-edited'; inputId: string }
  /** The notebook's executions as listed by the server (on open, after a reload). */
  | { type: 'executions-listed'; executions: readonly ExecutionDto[] }
  /** An execution of this notebook started or ended, wherever it was started from. */
  | { type: 'execution-announced'; execution: ExecutionDto }
  | ExecutionEvent;

export const initialRunState: NotebookRunState = { pending: [], messages: {}, inputErrors: {} };

function follow(executionId: string, execution?: ExecutionDto): LiveExecution {
  return { executionId, execution, taskRuns: new Map(), finished: false };
}

function without<V>(record: Readonly<Record<string, V>>, key: string | undefined): Readonly<Record<string, V>> {
  if (key === undefined || !(key in record)) return record;
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}

function withTaskRuns(live: LiveExecution, taskRuns: readonly TaskRun[]): LiveExecution {
  const next = new Map(live.taskRuns);
  for (const tr of taskRuns) next.set(tr.id, tr);
  return { ...live, taskRuns: next };
}

/** Applies an engine event to the followed execution; events of any other execution are old news. */
function applyExecutionEvent(live: LiveExecution | undefined, event: ExecutionEvent): LiveExecution | undefined {
  const executionId = event.type === 'taskrun' ? event.taskRun.executionId : event.execution.id;
  if (!live || live.executionId !== executionId) return live;
  switch (event.type) {
    case 'snapshot':
      return { ...withTaskRuns(live, event.taskRuns), execution: event.execution, finished: live.finished || isTerminal(event.execution.state) };
    case 'taskrun':
      return withTaskRuns(live, [event.taskRun]);
    case 'state':
      return { ...live, execution: event.execution };
    case 'finished':
      return { ...live, execution: event.execution, finished: true };
    default:
      return assertNever(event);
  }
}

function refused(state: NotebookRunState, event: Extract<NotebookRunEvent, { type: 'run-refused' }>): NotebookRunState {
  const start = state.pending.find((p) => p.requestId === event.requestId);
  const pending = state.pending.filter((p) => p !== start);
  if (event.missingTaskId) {
    // A cell run is refused on the cell asked for; "run all" on the cell that must run first.
    const target = start?.taskId ?? event.missingTaskId;
    return { ...state, pending, messages: { ...state.messages, [target]: { text: event.message, missingTaskId: event.missingTaskId } } };
  }
  if (event.inputId) {
    return { ...state, pending, inputErrors: { ...state.inputErrors, [event.inputId]: event.message }, banner: `Input ${event.inputId}: ${event.message}` };
  }
  return { ...state, pending, banner: `The run did not start: ${event.message}` };
}

export function notebookRunReducer(state: NotebookRunState, event: NotebookRunEvent): NotebookRunState {
  switch (event.type) {
    case 'run-requested':
      return {
        ...state,
        pending: [...state.pending, { requestId: event.requestId, mode: event.mode, taskId: event.taskId }],
        banner: undefined,
        inputErrors: {},
        messages: without(state.messages, event.taskId),
      };
    case 'inputs-refused': {
      const list = Object.entries(event.errors).map(([k, v]) => `${k} (${v})`).join(', ');
      return { ...state, inputErrors: event.errors, banner: `Fix the inputs first: ${list}` };
    }
    case 'run-started': {
      const pending = state.pending.filter((p) => p.requestId !== event.requestId);
      // The announcement over the socket may have come first; keep what it brought.
      const live = state.live?.executionId === event.executionId ? state.live : follow(event.executionId);
      return { ...state, pending, live };
    }
    case 'run-refused':
      return refused(state, event);
    case 'stop-refused':
      return { ...state, banner: `Stop failed: ${event.message}` };
    case 'input-edited':
      return { ...state, inputErrors: without(state.inputErrors, event.inputId) };
    case 'executions-listed': {
      // A run already going when the page opens (a reload, a second browser) is followed.
      if (state.live) return state;
      const running = event.executions.find((e) => !isTerminal(e.state));
      return running ? { ...state, live: follow(running.id, running) } : state;
    }
    case 'execution-announced': {
      const ex = event.execution;
      if (isTerminal(ex.state) || state.live?.executionId === ex.id) return state;
      return { ...state, live: follow(ex.id, ex) };
    }
    case 'snapshot':
    case 'taskrun':
    case 'state':
    case 'finished': {
      const live = applyExecutionEvent(state.live, event);
      return live === state.live ? state : { ...state, live };
    }
    default:
      return assertNever(event);
  }
}

// ---- selectors ----

/** Each task's latest run in the followed execution: a later run of one task (a ForEach iteration) replaces an earlier one. */
export function liveRunsByTask(live: LiveExecution | undefined): ReadonlyMap<string, TaskRun> {
  const byTask = new Map<string, TaskRun>();
  for (const tr of live?.taskRuns.values() ?? []) byTask.set(tr.taskId, tr);
  return byTask;
}

export interface CellWithRun {
  cell: CellDto;
  /** The run the cell shows: from the followed execution once it reached the task, else the saved latest run. */
  run?: TaskRun;
}

export function cellsWithRuns(live: LiveExecution | undefined, cells: readonly CellDto[]): CellWithRun[] {
  const byTask = liveRunsByTask(live);
  return cells.map((cell) => ({ cell, run: byTask.get(cell.taskId) ?? cell.run }));
}

/** The state each cell shows, by task id (for the topology). */
export function cellStates(cells: readonly CellWithRun[]): Record<string, State | undefined> {
  return Object.fromEntries(cells.map((c) => [c.cell.taskId, c.run?.state]));
}

/** The followed execution while it may still run (the stop button's target); undefined once it ended. */
export function stoppableExecutionId(state: NotebookRunState): string | undefined {
  const live = state.live;
  if (!live) return undefined;
  return live.execution && isTerminal(live.execution.state) ? undefined : live.executionId;
}

/** How far the followed execution got to its end; the saved notebook is read again at each step. */
export function liveEnding(live: LiveExecution | undefined): 'ended' | 'finished' | undefined {
  if (!live) return undefined;
  if (live.finished) return 'finished';
  return live.execution && isTerminal(live.execution.state) ? 'ended' : undefined;
}
