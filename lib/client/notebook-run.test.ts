import { describe, expect, it } from 'vitest';
import type { CellDto, ExecutionDto, State, TaskRun } from '@/lib/contract';
import {
  cellsWithRuns,
  cellStates,
  initialRunState,
  liveEnding,
  notebookRunReducer,
  stoppableExecutionId,
  type NotebookRunEvent,
  type NotebookRunState,
} from './notebook-run';

const cell = (taskId: string, run?: TaskRun): CellDto => ({
  taskId,
  type: 'io.kestra.plugin.core.log.Log',
  title: 'Log a message',
  explanation: 'Writes a message to the logs.',
  path: ['tasks', 0],
  depth: 0,
  kind: 'runnable',
  source: `id: ${taskId}`,
  run,
  stale: false,
  usesOutputsOf: [],
  usedBy: [],
  disabled: false,
});

const execution = (id: string, state: State): ExecutionDto => ({
  id,
  notebookId: 'nb',
  namespace: 'e2e',
  flowId: 'flow',
  state,
  mode: 'all',
  labels: {},
  inputs: {},
  startDate: '2025-01-01T10:00:00Z',
});

const taskRun = (executionId: string, id: string, taskId: string, state: State, extra: Partial<TaskRun> = {}): TaskRun => ({
  id,
  executionId,
  taskId,
  state,
  attempt: 1,
  startDate: '2025-01-01T10:00:01Z',
  ...extra,
});

const play = (events: NotebookRunEvent[], from: NotebookRunState = initialRunState) => events.reduce(notebookRunReducer, from);

/** The state each cell shows, as the page renders it. */
const shown = (state: NotebookRunState, cells: CellDto[]) => cellStates(cellsWithRuns(state.live, cells));

describe('the notebook page run state', () => {
  const saved = taskRun('old', 'old-1', 'first', 'SUCCESS');
  const cells = [cell('first', saved), cell('second'), cell('third')];

  it('shows the saved runs until the live execution reaches a cell, then the live one', () => {
    const state = play([
      { type: 'run-requested', requestId: 1, mode: 'all' },
      { type: 'run-started', requestId: 1, executionId: 'ex1' },
    ]);
    expect(state.pending).toEqual([]);
    expect(shown(state, cells)).toEqual({ first: 'SUCCESS', second: undefined, third: undefined });
    expect(stoppableExecutionId(state)).toBe('ex1');

    const running = play(
      [
        { type: 'snapshot', execution: execution('ex1', 'RUNNING'), taskRuns: [taskRun('ex1', 'a', 'first', 'RUNNING')] },
        { type: 'taskrun', taskRun: taskRun('ex1', 'a', 'first', 'SUCCESS') },
        { type: 'taskrun', taskRun: taskRun('ex1', 'b', 'second', 'RUNNING') },
      ],
      state,
    );
    expect(shown(running, cells)).toEqual({ first: 'SUCCESS', second: 'RUNNING', third: undefined });
    expect(cellsWithRuns(running.live, cells)[0].run?.executionId).toBe('ex1');

    const done = play(
      [
        { type: 'taskrun', taskRun: taskRun('ex1', 'b', 'second', 'FAILED', { error: 'boom' }) },
        { type: 'state', execution: execution('ex1', 'FAILED') },
      ],
      running,
    );
    expect(shown(done, cells)).toEqual({ first: 'SUCCESS', second: 'FAILED', third: undefined });
    expect(cellsWithRuns(done.live, cells)[1].run?.error).toBe('boom');
    expect(stoppableExecutionId(done)).toBeUndefined();
    expect(liveEnding(done.live)).toBe('ended');
    expect(liveEnding(notebookRunReducer(done, { type: 'finished', execution: execution('ex1', 'FAILED') }).live)).toBe('finished');
  });

  it('shows the latest iteration of a task a ForEach runs several times', () => {
    const loop = [cell('each'), cell('print')];
    const state = play([
      { type: 'run-started', requestId: 1, executionId: 'ex1' },
      { type: 'snapshot', execution: execution('ex1', 'RUNNING'), taskRuns: [taskRun('ex1', 'e', 'each', 'RUNNING')] },
      { type: 'taskrun', taskRun: taskRun('ex1', 'p0', 'print', 'RUNNING', { value: 'a', iteration: 0 }) },
      { type: 'taskrun', taskRun: taskRun('ex1', 'p1', 'print', 'RUNNING', { value: 'b', iteration: 1 }) },
      { type: 'taskrun', taskRun: taskRun('ex1', 'p0', 'print', 'SUCCESS', { value: 'a', iteration: 0 }) },
    ]);
    // Iteration 0 ended after iteration 1 began: the cell still shows iteration 1, which runs.
    expect(shown(state, loop)).toEqual({ each: 'RUNNING', print: 'RUNNING' });
    expect(cellsWithRuns(state.live, loop)[1].run?.value).toBe('b');

    const later = play(
      [
        { type: 'taskrun', taskRun: taskRun('ex1', 'p1', 'print', 'FAILED', { value: 'b', iteration: 1 }) },
        { type: 'taskrun', taskRun: taskRun('ex1', 'e', 'each', 'FAILED') },
      ],
      state,
    );
    expect(shown(later, loop)).toEqual({ each: 'FAILED', print: 'FAILED' });
    expect(later.live?.taskRuns.size).toBe(3);
  });

  it('a refused start names the cell to run first on the cell asked for, and running again clears it', () => {
    const refused = play([
      { type: 'run-requested', requestId: 1, mode: 'cell', taskId: 'second' },
      { type: 'run-refused', requestId: 1, message: 'cell second uses outputs of first, which has not run yet: run cell first first', missingTaskId: 'first' },
    ]);
    expect(refused.messages).toEqual({
      second: { text: 'cell second uses outputs of first, which has not run yet: run cell first first', missingTaskId: 'first' },
    });
    expect(refused.banner).toBeUndefined();
    expect(refused.pending).toEqual([]);

    // The message's own button runs `first`: the message on `second` stays until `second` runs again.
    const ranFirst = play([{ type: 'run-requested', requestId: 2, mode: 'cell', taskId: 'first' }], refused);
    expect(Object.keys(ranFirst.messages)).toEqual(['second']);
    const ranSecond = play([{ type: 'run-requested', requestId: 3, mode: 'cell', taskId: 'second' }], ranFirst);
    expect(ranSecond.messages).toEqual({});
  });

  it('a refused "run all" puts the message on the cell that must run first', () => {
    const state = play([
      { type: 'run-requested', requestId: 1, mode: 'all' },
      { type: 'run-refused', requestId: 1, message: 'run cell first first', missingTaskId: 'first' },
    ]);
    expect(state.messages).toEqual({ first: { text: 'run cell first first', missingTaskId: 'first' } });
  });

  it('other refusals show above the cells; an input the server refused is marked on the input', () => {
    const other = play([
      { type: 'run-requested', requestId: 1, mode: 'all' },
      { type: 'run-refused', requestId: 1, message: 'the flow has errors' },
    ]);
    expect(other.banner).toBe('The run did not start: the flow has errors');

    const input = play([
      { type: 'run-requested', requestId: 2, mode: 'all' },
      { type: 'run-refused', requestId: 2, message: 'not a number', inputId: 'limit' },
    ]);
    expect(input.banner).toBe('Input limit: not a number');
    expect(input.inputErrors).toEqual({ limit: 'not a number' });
    expect(play([{ type: 'input-edited', inputId: 'limit' }], input).inputErrors).toEqual({});
  });

  it('inputs that do not read refuse the start before anything is sent', () => {
    const state = play([{ type: 'inputs-refused', errors: { limit: 'a whole number', day: 'required' } }]);
    expect(state.banner).toBe('Fix the inputs first: limit (a whole number), day (required)');
    expect(state.inputErrors).toEqual({ limit: 'a whole number', day: 'required' });
    expect(state.pending).toEqual([]);
    const next = play([{ type: 'run-requested', requestId: 1, mode: 'all' }], state);
    expect(next.banner).toBeUndefined();
    expect(next.inputErrors).toEqual({});
    expect(next.pending).toEqual([{ requestId: 1, mode: 'all', taskId: undefined }]);
  });

  it('after a reload mid-run, the running execution is followed and picks up where it is', () => {
    const runningSaved = taskRun('ex1', 'a', 'first', 'RUNNING');
    const afterReload = [cell('first', runningSaved), cell('second')];
    const listed = play([{ type: 'executions-listed', executions: [execution('ex1', 'RUNNING'), execution('old', 'SUCCESS')] }]);
    expect(listed.live?.executionId).toBe('ex1');
    expect(stoppableExecutionId(listed)).toBe('ex1');
    // Before the snapshot, the cells show what the saved notebook says.
    expect(shown(listed, afterReload)).toEqual({ first: 'RUNNING', second: undefined });

    const caughtUp = play(
      [
        { type: 'snapshot', execution: execution('ex1', 'RUNNING'), taskRuns: [taskRun('ex1', 'a', 'first', 'SUCCESS'), taskRun('ex1', 'b', 'second', 'RUNNING')] },
        // A later listing (after the run ended elsewhere) does not switch away.
        { type: 'executions-listed', executions: [execution('ex2', 'RUNNING'), execution('ex1', 'RUNNING')] },
        { type: 'taskrun', taskRun: taskRun('ex1', 'b', 'second', 'SUCCESS') },
        { type: 'finished', execution: execution('ex1', 'SUCCESS') },
      ],
      listed,
    );
    expect(caughtUp.live?.executionId).toBe('ex1');
    expect(shown(caughtUp, afterReload)).toEqual({ first: 'SUCCESS', second: 'SUCCESS' });
    expect(stoppableExecutionId(caughtUp)).toBeUndefined();
  });

  it('nothing is followed when every listed execution has ended', () => {
    expect(play([{ type: 'executions-listed', executions: [execution('old', 'SUCCESS')] }]).live).toBeUndefined();
  });

  it('a run started elsewhere becomes the live one; events of the execution left behind are ignored', () => {
    const state = play([
      { type: 'run-started', requestId: 1, executionId: 'ex1' },
      { type: 'snapshot', execution: execution('ex1', 'RUNNING'), taskRuns: [taskRun('ex1', 'a', 'first', 'RUNNING')] },
      { type: 'execution-announced', execution: execution('ex2', 'CREATED') },
      { type: 'taskrun', taskRun: taskRun('ex1', 'a', 'first', 'FAILED') },
      { type: 'execution-announced', execution: execution('ex1', 'FAILED') },
    ]);
    expect(state.live?.executionId).toBe('ex2');
    expect(shown(state, cells)).toEqual({ first: 'SUCCESS', second: undefined, third: undefined });
  });

  it('the answer to a start keeps what the socket already brought about that execution', () => {
    const state = play([
      { type: 'run-requested', requestId: 1, mode: 'cell', taskId: 'second' },
      { type: 'execution-announced', execution: execution('ex1', 'CREATED') },
      { type: 'snapshot', execution: execution('ex1', 'RUNNING'), taskRuns: [taskRun('ex1', 'b', 'second', 'RUNNING')] },
      { type: 'run-started', requestId: 1, executionId: 'ex1' },
    ]);
    expect(state.pending).toEqual([]);
    expect(shown(state, cells).second).toBe('RUNNING');
  });

  it('a stop the server refuses is shown above the cells', () => {
    expect(play([{ type: 'stop-refused', message: 'execution ex1 not found' }]).banner).toBe('Stop failed: execution ex1 not found');
  });
});
