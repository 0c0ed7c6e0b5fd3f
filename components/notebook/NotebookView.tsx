'use client';
/**
 * The notebook page: outline and inputs on the left, the flow and its cells in the
 * middle, data trace / topology / runs on the right. Run state comes from two places:
 * the saved notebook (each cell's latest run) and the execution being streamed now,
 * which wins for the cells it has reached.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ExecutionDto, RunModeKind, State, TaskRun } from '@/lib/contract';
import { isTerminal } from '@/lib/model/states';
import { api, ApiClientError, errorMessage } from '@/lib/client/api';
import { keys, useExecutions, useNotebook, useSetNotebook } from '@/lib/client/queries';
import { useExecutionLive, useRealtime } from '@/lib/client/realtime';
import { readInputs, type InputDraft } from '@/lib/client/inputs';
import { TopBar } from '@/components/ui/TopBar';
import { Button } from '@/components/ui/Button';
import { ErrorBox, Loading, Empty } from '@/components/ui/States';
import { CellCard } from './CellCard';
import { AddCell } from './AddCell';
import { FlowCard } from './FlowCard';
import { Outline } from './Outline';
import { StatusBar } from './StatusBar';
import { ExportDialog } from './ExportDialog';
import { SchedulesButton } from './SchedulesDialog';
import { DataTracePanel } from './DataTracePanel';
import { TopologyView } from './TopologyView';
import { RunsHistory } from './RunsHistory';
import type { CellActions, CellRunView, CellWithRun } from './types';

const liveViews = new WeakMap<TaskRun, CellRunView>();
const savedViews = new WeakMap<TaskRun, CellRunView>();

// Cached per source object so a cell's props stay identical while only log lines arrive.
function fromTaskRun(tr: TaskRun): CellRunView {
  let v = liveViews.get(tr);
  if (!v) {
    v = { executionId: tr.executionId, state: tr.state, attempt: tr.attempt, startDate: tr.startDate, endDate: tr.endDate, outputs: tr.outputs, details: tr.details, error: tr.error, live: true };
    liveViews.set(tr, v);
  }
  return v;
}

function fromSaved(r: TaskRun): CellRunView {
  let v = savedViews.get(r);
  if (!v) {
    v = { ...r, live: false };
    savedViews.set(r, v);
  }
  return v;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mb-5">
      <h2 className="text-muted mb-2 text-[11px] font-semibold tracking-wider uppercase">{title}</h2>
      {children}
    </section>
  );
}

/**
 * The cells whose block ends at index i (the cell itself when it has no children, and the
 * parents it closes), innermost first: "add after X" goes below X's last nested cell.
 */
function closingAt(cells: CellWithRun[], i: number): CellWithRun['cell'][] {
  const nextDepth = cells[i + 1]?.cell.depth ?? 0;
  const out: CellWithRun['cell'][] = [];
  // In document order the first shallower cell walking back is the parent.
  let depth = Infinity;
  for (let j = i; j >= 0 && depth > nextDepth; j--) {
    const c = cells[j].cell;
    if (c.depth >= depth) continue;
    if (c.depth < nextDepth) break;
    out.push(c);
    depth = c.depth;
  }
  return out;
}

export function NotebookView({ id }: { id: string }) {
  const qc = useQueryClient();
  const rt = useRealtime();
  const nb = useNotebook(id);
  const execs = useExecutions(id);
  const setNotebook = useSetNotebook();
  const [activeId, setActiveId] = useState<string | undefined>(undefined);
  const [drafts, setDrafts] = useState<Record<string, InputDraft>>({});
  const [inputErrors, setInputErrors] = useState<Record<string, string>>({});
  const [messages, setMessages] = useState<Record<string, { text: string; missingTaskId?: string }>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [exportOpen, setExportOpen] = useState(false);
  const cardEls = useRef(new Map<string, HTMLElement>());

  // A run already going when the page opens (reload, second browser) becomes the live one.
  useEffect(() => {
    if (activeId || !execs.data) return;
    const running = execs.data.find((e) => !isTerminal(e.state));
    if (running) setActiveId(running.id);
  }, [execs.data, activeId]);

  const { live, version } = useExecutionLive(activeId);
  const activeState = live?.execution?.state;
  const activeRunning = activeId !== undefined && (activeState === undefined || !isTerminal(activeState));

  const refresh = useCallback(() => {
    void qc.invalidateQueries({ queryKey: keys.notebook(id) });
    void qc.invalidateQueries({ queryKey: keys.executions(id) });
  }, [qc, id]);

  useEffect(() => {
    if (activeState && isTerminal(activeState)) refresh();
  }, [activeState, live?.finished, refresh]);

  useEffect(() => {
    if (!rt) return;
    const subscribe = () => rt.socket.emit('notebook:subscribe', { notebookId: id });
    const onExecution = (ex: ExecutionDto) => {
      if (ex.notebookId !== id) return;
      void qc.invalidateQueries({ queryKey: keys.executions(id) });
      if (!isTerminal(ex.state)) setActiveId(ex.id);
      else void qc.invalidateQueries({ queryKey: keys.notebook(id) });
    };
    if (rt.socket.connected) subscribe();
    rt.socket.on('connect', subscribe);
    rt.socket.on('notebook:execution', onExecution);
    return () => {
      rt.socket.off('connect', subscribe);
      rt.socket.off('notebook:execution', onExecution);
      rt.socket.emit('notebook:unsubscribe', { notebookId: id });
    };
  }, [rt, id, qc]);

  const liveByTask = useMemo(() => {
    const m = new Map<string, TaskRun>();
    // Later task runs (retries, loop iterations) replace earlier ones for the same task.
    for (const tr of live?.taskRuns.values() ?? []) m.set(tr.taskId, tr);
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live, version]);

  const cells: CellWithRun[] = useMemo(
    () =>
      (nb.data?.cells ?? []).map((cell) => {
        const tr = liveByTask.get(cell.taskId);
        return { cell, run: tr ? fromTaskRun(tr) : cell.run ? fromSaved(cell.run) : undefined };
      }),
    [nb.data, liveByTask],
  );

  const cellsRef = useRef(cells);
  cellsRef.current = cells;
  const draftsRef = useRef(drafts);
  draftsRef.current = drafts;

  const focusCell = useCallback((taskId: string | undefined) => {
    if (!taskId) return;
    const el = cardEls.current.get(taskId);
    if (el) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
  }, []);

  const run = useCallback(
    async (mode: RunModeKind, taskId?: string) => {
      setBanner(null);
      const specs = nb.data?.flow?.inputs ?? [];
      const { values, errors } = readInputs(specs, draftsRef.current);
      setInputErrors(errors);
      if (Object.keys(errors).length > 0) {
        setBanner(`Fix the inputs first: ${Object.entries(errors).map(([k, v]) => `${k} (${v})`).join(', ')}`);
        return;
      }
      if (taskId) setMessages((m) => (m[taskId] ? Object.fromEntries(Object.entries(m).filter(([k]) => k !== taskId)) : m));
      try {
        const { executionId } = await api.startRun(id, { mode, taskId, inputs: values });
        setActiveId(executionId);
        void qc.invalidateQueries({ queryKey: keys.executions(id) });
      } catch (err) {
        if (err instanceof ApiClientError && err.status === 409 && err.body.missingTaskId) {
          const target = taskId ?? err.body.missingTaskId;
          setMessages((m) => ({ ...m, [target]: { text: err.body.error || `Run cell ${err.body.missingTaskId} first.`, missingTaskId: err.body.missingTaskId } }));
        } else if (err instanceof ApiClientError && err.status === 422 && err.body.inputId) {
          setInputErrors((e) => ({ ...e, [err.body.inputId ?? '']: err.message }));
          setBanner(`Input ${err.body.inputId}: ${err.message}`);
        } else {
          setBanner(`The run did not start: ${errorMessage(err)}`);
        }
      }
    },
    [id, nb.data, qc],
  );

  const stop = useCallback(
    (executionId: string) => {
      api.cancelExecution(executionId).catch((err: unknown) => setBanner(`Stop failed: ${errorMessage(err)}`));
    },
    [],
  );

  const actions: CellActions = useMemo(
    () => ({
      run: (mode, taskId) => run(mode, taskId),
      stop,
      focusNext: (taskId) => {
        const list = cellsRef.current;
        const i = list.findIndex((c) => c.cell.taskId === taskId);
        focusCell(list[i + 1]?.cell.taskId);
      },
      focusPrev: (taskId) => {
        const list = cellsRef.current;
        const i = list.findIndex((c) => c.cell.taskId === taskId);
        focusCell(list[i - 1]?.cell.taskId);
      },
      saveNote: async (taskId, note) => {
        setNotebook(await api.patchCell(id, taskId, { note }));
      },
      deleteCell: async (taskId) => {
        setNotebook(await api.deleteCell(id, taskId));
      },
    }),
    [run, stop, focusCell, setNotebook, id],
  );

  const registerFocus = useCallback((taskId: string, el: HTMLElement | null) => {
    if (el) cardEls.current.set(taskId, el);
    else cardEls.current.delete(taskId);
  }, []);

  // A cell just inserted gets focus once it has rendered and registered itself.
  const [focusWhenShown, setFocusWhenShown] = useState<string | null>(null);
  useEffect(() => {
    if (focusWhenShown && cardEls.current.has(focusWhenShown)) {
      focusCell(focusWhenShown);
      setFocusWhenShown(null);
    }
  }, [cells, focusWhenShown, focusCell]);

  const states = useMemo(() => Object.fromEntries(cells.map((c) => [c.cell.taskId, c.run?.state])) as Record<string, State | undefined>, [cells]);

  if (nb.isPending) {
    return (
      <div className="flex h-screen flex-col">
        <TopBar />
        <Loading what="notebook" />
      </div>
    );
  }
  if (nb.isError) {
    return (
      <div className="flex h-screen flex-col">
        <TopBar />
        <div className="p-6">
          <ErrorBox title="This notebook could not be opened" message={errorMessage(nb.error)} />
        </div>
      </div>
    );
  }
  const notebook = nb.data;
  const flow = notebook.flow;

  return (
    <div className="flex h-screen flex-col">
      <TopBar
        crumbs={
          <>
            <span>{flow?.namespace ?? '—'}</span>/<span className="font-semibold text-current">{flow?.id ?? id}</span>
            {notebook.deleted && <span className="rounded bg-red-100 px-1.5 text-xs text-red-700">deleted</span>}
          </>
        }
      >
        <Button variant="primary" onClick={() => void run('all')} disabled={!flow} aria-label="Run all">
          ▶ Run all
        </Button>
        <Button onClick={() => activeId && stop(activeId)} disabled={!activeRunning} aria-label="Stop">
          ■ Stop
        </Button>
        <SchedulesButton notebook={notebook} />
        <Button onClick={() => setExportOpen(true)}>⤓ Export YAML</Button>
      </TopBar>
      <div className="grid min-h-0 flex-1 grid-cols-[220px_minmax(0,1fr)_300px] max-[1100px]:grid-cols-[190px_minmax(0,1fr)_260px]">
        <Outline notebook={notebook} cells={cells} drafts={drafts} onSelect={focusCell} />
        <main className="min-w-0 overflow-auto px-6 py-5" data-testid="cells">
          <FlowCard
            notebook={notebook}
            drafts={drafts}
            inputErrors={inputErrors}
            onInput={(k, v) => {
              setDrafts((d) => ({ ...d, [k]: v }));
              setInputErrors((e) => (e[k] ? Object.fromEntries(Object.entries(e).filter(([x]) => x !== k)) : e));
            }}
          />
          {banner && (
            <div className="mb-4">
              <ErrorBox title="Run" message={banner} />
            </div>
          )}
          {flow && <AddCell notebookId={id} afterTaskId={null} depth={0} onInserted={setFocusWhenShown} />}
          {cells.length === 0 ? (
            <Empty>This flow has no tasks yet.</Empty>
          ) : (
            cells.map(({ cell, run: r }, i) => (
              <div key={cell.taskId}>
                <CellCard notebookId={id} cell={cell} run={r} message={messages[cell.taskId]} actions={actions} registerFocus={registerFocus} />
                {flow &&
                  closingAt(cells, i).map((c) => <AddCell key={`add-${c.taskId}`} notebookId={id} afterTaskId={c.taskId} depth={c.depth} onInserted={setFocusWhenShown} />)}
              </div>
            ))
          )}
          <p className="text-muted py-6 text-center text-[11px]">
            Shift+Enter runs a cell and moves on · Ctrl+Enter runs in place · Enter edits · Esc leaves the editor · ↑/↓ move · a adds a note
          </p>
        </main>
        <aside className="surface overflow-auto border-l p-4">
          <Section title="Data trace">
            <DataTracePanel trace={notebook.dataTrace} />
          </Section>
          <Section title="Topology">
            <TopologyView topology={notebook.topology} states={states} onSelect={focusCell} />
          </Section>
          <Section title="Runs">
            {execs.isPending ? <Loading what="runs" /> : execs.isError ? <ErrorBox title="Runs" message={errorMessage(execs.error)} /> : <RunsHistory executions={execs.data} />}
          </Section>
        </aside>
      </div>
      <StatusBar />
      <ExportDialog open={exportOpen} onOpenChange={setExportOpen} notebookId={id} originalYaml={notebook.originalYaml} version={notebook.version} />
    </div>
  );
}
