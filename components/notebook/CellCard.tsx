'use client';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { isTerminal } from '@/lib/model/states';
import type { CellDto } from '@/lib/contract';
import { useCellSave } from '@/lib/client/use-cell-save';
import { durationBetween, formatDuration } from '@/lib/client/format';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { errorMessage } from '@/lib/client/api';
import { StateIcon } from '@/components/ui/StateIcon';
import { CellEditor, type CellEditorHandle } from './CellEditor';
import { CellTabs } from './CellTabs';
import { NoteBlock } from './NoteBlock';
import type { CellActions, CellRunView } from './types';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** Facts worth a badge, read from the task's own YAML and its last run. */
function badgesOf(cell: CellDto, run?: CellRunView): string[] {
  const out: string[] = [];
  const fetchType = /^\s*fetchType:\s*["']?(\w+)/m.exec(cell.source)?.[1];
  if (fetchType) out.push(fetchType);
  const runner = run?.details?.runner ?? (/taskRunner:\s*\n\s*type:\s*\S*?(Docker|Process)\b/.exec(cell.source)?.[1]?.toLowerCase() ?? undefined);
  if (runner) out.push(runner);
  return out;
}

export interface CellCardProps {
  notebookId: string;
  cell: CellDto;
  run?: CellRunView;
  /** "Run cell X first" from a 409, or another message about the last run request. */
  message?: { text: string; missingTaskId?: string };
  actions: CellActions;
  registerFocus: (taskId: string, el: HTMLElement | null) => void;
}

export const CellCard = memo(function CellCard({ notebookId, cell, run, message, actions, registerFocus }: CellCardProps) {
  const editorRef = useRef<CellEditorHandle>(null);
  const cardRef = useRef<HTMLDivElement>(null);
  const field = cell.editor ? 'code' : 'source';
  const serverText = cell.editor ? cell.editor.code : cell.source;
  const saver = useCellSave(notebookId, cell.taskId, serverText, field);
  const [explain, setExplain] = useState(false);
  const [addingNote, setAddingNote] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const running = run ? !isTerminal(run.state) : false;
  const now = useNow(running);
  const duration = run ? durationBetween(run.startDate, run.endDate, now) : undefined;
  const showEditor = cell.kind !== 'flowable' || cell.editor !== undefined;

  const { isDirty } = saver;
  useEffect(() => {
    if (!isDirty()) editorRef.current?.setSaved(serverText);
  }, [serverText, isDirty]);

  useEffect(() => {
    registerFocus(cell.taskId, cardRef.current);
    return () => registerFocus(cell.taskId, null);
  }, [cell.taskId, registerFocus]);

  async function runWith(mode: 'cell' | 'from' | 'upTo', advance = false) {
    if (!(await saver.save())) return;
    if (advance) actions.focusNext(cell.taskId);
    await actions.run(mode, cell.taskId);
  }

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' && e.shiftKey) {
      e.preventDefault();
      void runWith('cell', true);
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void runWith('cell');
    } else if (e.key === 'Enter') {
      e.preventDefault();
      editorRef.current?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'j') {
      e.preventDefault();
      actions.focusNext(cell.taskId);
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      e.preventDefault();
      actions.focusPrev(cell.taskId);
    } else if (e.key === 'm' || e.key === 'a') {
      e.preventDefault();
      setAddingNote(true);
    }
  }

  const badges = badgesOf(cell, run);
  const stateLabel = run ? run.state.toLowerCase() : 'not run';

  return (
    <section style={{ marginLeft: cell.depth * 22 }} data-testid="cell" data-task-id={cell.taskId} data-state={run?.state ?? 'NONE'} data-stale={cell.stale ? 'true' : 'false'} className="scroll-mt-4">
      {cell.branch && cell.depth > 0 && <div className="text-muted mb-1 font-mono text-[11px]">↳ {cell.branch}</div>}
      {(cell.note || addingNote) && (
        <NoteBlock key={cell.note ?? ''} note={cell.note} startEditing={addingNote} onDone={() => setAddingNote(false)} onSave={(n) => actions.saveNote(cell.taskId, n)} />
      )}
      <div
        ref={cardRef}
        tabIndex={0}
        onKeyDown={onKey}
        aria-label={`Cell ${cell.taskId}`}
        className={`surface mb-3 rounded-xl border shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-within:shadow-md ${cell.disabled ? 'opacity-60' : ''} ${cell.stale ? 'border-amber-300 dark:border-amber-700' : ''} ${running ? 'ring-1 ring-amber-300 dark:ring-amber-700' : ''}`}
      >
        <header className="flex flex-wrap items-center gap-2 px-3 py-2">
          <StateIcon state={run?.state} />
          <h3 className="font-mono text-[13px] font-semibold" data-testid="cell-id">
            {cell.taskId}
          </h3>
          <Badge tone="violet" title={cell.type}>
            {cell.title}
          </Badge>
          {badges.map((b) => (
            <Badge key={b}>{b}</Badge>
          ))}
          {cell.usesOutputsOf.map((u) => (
            <Badge key={u} tone="blue" title={`uses outputs of ${u}`}>
              uses: {u}
            </Badge>
          ))}
          {cell.disabled && <Badge tone="neutral">disabled</Badge>}
          {cell.stale && (
            <span data-testid="stale-marker">
              <Badge tone="amber" title={cell.staleReason}>
                stale{cell.staleReason ? ` · ${cell.staleReason}` : ''}
              </Badge>
            </span>
          )}
          <span className="flex-1" />
          <span className="text-muted text-xs" data-testid="cell-status">
            {stateLabel}
            {duration !== undefined ? ` · ${formatDuration(duration)}` : ''}
            {run && run.attempt > 1 ? ` · attempt ${run.attempt}` : ''}
          </span>
          {saver.state.kind !== 'saved' && (
            <span className={`text-xs ${saver.state.kind === 'failed' ? 'text-red-600' : 'text-muted'}`}>
              {saver.state.kind === 'dirty' ? 'unsaved' : saver.state.kind === 'saving' ? 'saving…' : 'save failed'}
            </span>
          )}
          <div className="ml-auto flex gap-1">
            <Button size="sm" onClick={() => void runWith('cell')} aria-label={`Run cell ${cell.taskId}`} title="Run cell (Ctrl+Enter)">
              ▶ Run
            </Button>
            <Button size="sm" onClick={() => void runWith('from')} aria-label={`Run from ${cell.taskId}`} title="Run this cell and every cell after it">
              ▶▶ from here
            </Button>
            <Button size="sm" onClick={() => void runWith('upTo')} aria-label={`Run up to ${cell.taskId}`} title="Run every cell before this one, then this one">
              ⇥ up to here
            </Button>
            {running && run && (
              <Button size="sm" variant="danger" onClick={() => actions.stop(run.executionId)} aria-label={`Stop ${cell.taskId}`}>
                ■ Stop
              </Button>
            )}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setDeleteError(null);
                setConfirmDelete(true);
              }}
              aria-label={`Delete cell ${cell.taskId}`}
              title="Delete this cell (asks first)"
            >
              ✕
            </Button>
          </div>
        </header>
        <div className="border-theme text-muted border-t px-3 py-1.5 text-[12.5px]">
          <button type="button" className="text-left" onClick={() => setExplain(!explain)} aria-expanded={explain}>
            <span className="mr-1">{explain ? '▾' : '▸'}</span>
            {explain ? cell.explanation : `${cell.explanation.split(/(?<=\.)\s/)[0]}`}
          </button>
          {!cell.note && !addingNote && (
            <button type="button" className="ml-2 text-[11px] text-sky-700 hover:underline dark:text-sky-400" onClick={() => setAddingNote(true)}>
              + note
            </button>
          )}
        </div>
        {message && (
          <div role="alert" className="border-theme flex items-center gap-2 border-t bg-amber-50 px-3 py-1.5 text-[13px] text-amber-900 dark:bg-amber-950/40 dark:text-amber-200" data-testid="cell-message">
            {message.text}
            {message.missingTaskId && (
              <Button size="sm" onClick={() => void actions.run('cell', message.missingTaskId ?? '')}>
                Run {message.missingTaskId}
              </Button>
            )}
          </div>
        )}
        {showEditor && (
          <CellEditor
            ref={editorRef}
            code={serverText}
            language={cell.editor?.language ?? 'yaml'}
            label={`${cell.taskId} ${cell.editor?.property ?? 'task YAML'}`}
            onChange={saver.change}
            onBlur={() => void saver.save()}
            onSave={() => void saver.save()}
            onRun={(advance) => void runWith('cell', advance)}
            onEscape={() => cardRef.current?.focus()}
          />
        )}
        {saver.state.kind === 'failed' && (
          <div role="alert" className="bg-red-50 px-3 py-1.5 text-xs text-red-700 dark:bg-red-950/40 dark:text-red-300" data-testid="save-error">
            Not saved — your text is kept. {saver.state.error}
          </div>
        )}
        {run?.error && (
          <div className="border-theme border-t bg-red-50 px-3 py-1.5 font-mono text-xs whitespace-pre-wrap text-red-700 dark:bg-red-950/40 dark:text-red-300">{run.error}</div>
        )}
        {run && <CellTabs key={run.executionId} taskId={cell.taskId} run={run} />}
      </div>
      <Dialog open={confirmDelete} onOpenChange={setConfirmDelete} title={`Delete cell ${cell.taskId}?`} description={cell.kind === 'flowable' ? 'The task and every task nested in it are removed from the flow YAML.' : 'The task is removed from the flow YAML; the other cells stay as they are.'}>
        <pre className="bg-code mb-3 max-h-60 overflow-auto rounded p-2 font-mono text-xs">{cell.source}</pre>
        {deleteError && (
          <div role="alert" className="mb-2 text-xs text-red-600" data-testid="delete-error">
            Not deleted: {deleteError}
          </div>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
          <Button
            variant="danger"
            disabled={deleting}
            onClick={() => {
              setDeleting(true);
              actions
                .deleteCell(cell.taskId)
                .then(() => setConfirmDelete(false))
                .catch((err: unknown) => setDeleteError(errorMessage(err)))
                .finally(() => setDeleting(false));
            }}
          >
            Delete cell
          </Button>
        </div>
      </Dialog>
    </section>
  );
});
