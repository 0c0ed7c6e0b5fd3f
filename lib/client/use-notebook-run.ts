'use client';
/**
 * The notebook page's runs: starts and stops them through the API, follows the execution
 * that is live through the shared execution store, listens for runs started elsewhere,
 * and refreshes the saved notebook when a run ends. Everything it learns goes through
 * `notebookRunReducer`; the page only reads the result.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { CellDto, ExecutionDto, InputSpec, NotebookDto, RunModeKind } from '@/lib/contract';
import { isTerminal } from '@/lib/model/states';
import { api, ApiClientError, errorMessage } from './api';
import { keys, useExecutions } from './queries';
import { useRealtime } from './realtime';
import { readInputs, type InputDraft } from './inputs';
import { nothingToRun, useStaleOnInputSave } from './stale';
import { useStoredInputs } from './use-stored-inputs';
import { cellsWithRuns, initialRunState, liveEnding, notebookRunReducer, stoppableExecutionId, type NotebookRunEvent } from './notebook-run';

const NO_CELLS: CellDto[] = [];
const NO_INPUTS: InputSpec[] = [];

/** What the server said when it refused a start, in the reducer's terms. */
function refusal(err: unknown): Omit<Extract<NotebookRunEvent, { type: 'run-refused' }>, 'type' | 'requestId'> {
  if (!(err instanceof ApiClientError)) return { message: errorMessage(err) };
  const { missingTaskId, inputId } = err.body;
  if (err.status === 409 && missingTaskId) return { message: err.body.error || `Run cell ${missingTaskId} first.`, missingTaskId };
  if (err.status === 422 && inputId) return { message: err.message, inputId };
  return { message: err.message };
}

export function useNotebookRun(notebookId: string, notebook: NotebookDto | undefined) {
  const qc = useQueryClient();
  const rt = useRealtime();
  const executions = useExecutions(notebookId).data;
  const [state, dispatch] = useReducer(notebookRunReducer, initialRunState);
  const nextRequest = useRef(0);

  // Starts read the inputs as they are when the button is pressed, without new callbacks per keystroke.
  const specs = notebook?.flow?.inputs ?? NO_INPUTS;
  // The form's values are kept on the server, per notebook.
  const storedInputs = useStoredInputs(notebookId, specs, notebook !== undefined);
  const { drafts, setInput: storeInput } = storedInputs;
  const inputs = useRef({ specs, drafts });
  useEffect(() => {
    inputs.current = { specs, drafts };
  }, [specs, drafts]);

  useEffect(() => {
    if (executions) dispatch({ type: 'executions-listed', executions });
  }, [executions]);

  const liveId = state.live?.executionId;
  useEffect(() => {
    if (!rt || !liveId) return;
    return rt.store.follow(liveId, dispatch);
  }, [rt, liveId]);

  const refresh = useCallback(() => {
    void qc.invalidateQueries({ queryKey: keys.notebook(notebookId) });
    void qc.invalidateQueries({ queryKey: keys.executions(notebookId) });
  }, [qc, notebookId]);

  const ending = liveEnding(state.live);
  useEffect(() => {
    if (ending) refresh();
  }, [liveId, ending, refresh]);

  useEffect(() => {
    if (!rt) return;
    const subscribe = () => rt.socket.emit('notebook:subscribe', { notebookId });
    const onExecution = (execution: ExecutionDto) => {
      if (execution.notebookId !== notebookId) return;
      void qc.invalidateQueries({ queryKey: keys.executions(notebookId) });
      if (isTerminal(execution.state)) void qc.invalidateQueries({ queryKey: keys.notebook(notebookId) });
      dispatch({ type: 'execution-announced', execution });
    };
    if (rt.socket.connected) subscribe();
    rt.socket.on('connect', subscribe);
    rt.socket.on('notebook:execution', onExecution);
    return () => {
      rt.socket.off('connect', subscribe);
      rt.socket.off('notebook:execution', onExecution);
      rt.socket.emit('notebook:unsubscribe', { notebookId });
    };
  }, [rt, notebookId, qc]);

  const run = useCallback(
    /** `trigger`: run as a Schedule trigger fired at `triggerDate` ("Run as trigger…"). */
    async (mode: RunModeKind, taskId?: string, trigger?: { triggerId: string; triggerDate: string }) => {
      const { values, errors } = readInputs(inputs.current.specs, inputs.current.drafts);
      if (Object.keys(errors).length > 0) {
        dispatch({ type: 'inputs-refused', errors });
        return;
      }
      const requestId = ++nextRequest.current;
      dispatch({ type: 'run-requested', requestId, mode, taskId });
      try {
        const { executionId } = await api.startRun(notebookId, { mode, taskId, inputs: values, ...trigger });
        dispatch({ type: 'run-started', requestId, executionId });
        void qc.invalidateQueries({ queryKey: keys.executions(notebookId) });
      } catch (err) {
        dispatch({ type: 'run-refused', requestId, ...refusal(err) });
      }
    },
    [notebookId, qc],
  );

  /** "Run stale cells": the server runs them one execution each, in flow order; the page follows each one as it is announced. */
  const runStale = useCallback(async () => {
    const { values, errors } = readInputs(inputs.current.specs, inputs.current.drafts);
    if (Object.keys(errors).length > 0) {
      dispatch({ type: 'inputs-refused', errors });
      return;
    }
    const requestId = ++nextRequest.current;
    dispatch({ type: 'run-requested', requestId, mode: 'cell' });
    try {
      const started = await api.runStale(notebookId, { inputs: values });
      if (started.executionId) dispatch({ type: 'run-started', requestId, executionId: started.executionId });
      else dispatch({ type: 'run-refused', requestId, message: nothingToRun(started) });
      void qc.invalidateQueries({ queryKey: keys.executions(notebookId) });
    } catch (err) {
      dispatch({ type: 'run-refused', requestId, ...refusal(err) });
    }
  }, [notebookId, qc]);
  useStaleOnInputSave(notebookId);

  const stop = useCallback((executionId: string) => {
    api.cancelExecution(executionId).catch((err: unknown) => dispatch({ type: 'stop-refused', message: errorMessage(err) }));
  }, []);

  const setInput = useCallback(
    (inputId: string, value: InputDraft) => {
      storeInput(inputId, value);
      dispatch({ type: 'input-edited', inputId });
    },
    [storeInput],
  );

  const cellList = notebook?.cells ?? NO_CELLS;
  const cells = useMemo(() => cellsWithRuns(state.live, cellList), [state.live, cellList]);
  const staleCount = useMemo(() => cellList.filter((c) => c.stale).length, [cellList]);

  return {
    cells,
    drafts,
    setInput,
    /** "Reset to defaults", whether the form is edited, and how its last save went. */
    storedInputs,
    inputErrors: state.inputErrors,
    banner: state.banner,
    messages: state.messages,
    run,
    runStale,
    /** How many cells are stale in the saved notebook. */
    staleCount,
    stop,
    /** The execution the page's Stop button stops, while there is one that may still run. */
    stoppable: stoppableExecutionId(state),
  };
}

export type NotebookRun = ReturnType<typeof useNotebookRun>;
