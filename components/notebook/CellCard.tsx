'use client';
/** One task as a card: header, explanation, editor, errors, and the tabs of the run it shows. */
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { isTerminal } from '@/lib/model/states';
import type { CellDto, FlowIssue, TaskRun } from '@/lib/contract';
import { useCellSave } from '@/lib/client/use-cell-save';
import { CellEditor, type CellEditorHandle } from './CellEditor';
import { CellTabs } from './CellTabs';
import { NoteBlock } from './NoteBlock';
import { CellHeader } from './CellHeader';
import { CellExplanation } from './CellExplanation';
import { CellIssues, RefusedRun, RunError, SaveError } from './CellNotices';
import { SaveConflict } from './SaveConflict';
import { CellPause } from './CellPause';
import type { CellRunMode } from './CellRunButtons';
import { cellKeyCommand } from './cell-keys';
import type { CellActions, CellMessage } from './types';

export interface CellCardProps {
  notebookId: string;
  cell: CellDto;
  /** The run the cell shows: live, or its saved latest run. */
  run?: TaskRun;
  /** Why the last request to run this cell was refused. */
  message?: CellMessage;
  /** Validation errors and reference warnings about this cell. */
  issues?: readonly FlowIssue[];
  actions: CellActions;
  registerFocus: (taskId: string, el: HTMLElement | null) => void;
}

export const CellCard = memo(function CellCard({ notebookId, cell, run, message, issues, actions, registerFocus }: CellCardProps) {
  const editorRef = useRef<CellEditorHandle>(null);
  const cardRef = useRef<HTMLDivElement>(null);
  const serverText = cell.editor ? cell.editor.code : cell.source;
  const saver = useCellSave(notebookId, cell.taskId, serverText, cell.editor ? 'code' : 'source');
  const [addingNote, setAddingNote] = useState(false);
  const running = run ? !isTerminal(run.state) : false;

  const { isDirty } = saver;
  useEffect(() => {
    if (!isDirty()) editorRef.current?.setSaved(serverText);
  }, [serverText, isDirty]);

  useEffect(() => {
    registerFocus(cell.taskId, cardRef.current);
    return () => registerFocus(cell.taskId, null);
  }, [cell.taskId, registerFocus]);

  // Unsaved text is saved first, so the run sees what is on screen.
  async function runWith(mode: CellRunMode, advance = false) {
    if (!(await saver.save())) return;
    if (advance) actions.focusNext(cell.taskId);
    await actions.run(mode, cell.taskId);
  }

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget) return;
    const command = cellKeyCommand(e);
    if (!command) return;
    e.preventDefault();
    if (command === 'run-and-advance') void runWith('cell', true);
    else if (command === 'run') void runWith('cell');
    else if (command === 'edit') editorRef.current?.focus();
    else if (command === 'next') actions.focusNext(cell.taskId);
    else if (command === 'prev') actions.focusPrev(cell.taskId);
    else setAddingNote(true);
  }

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
        <CellHeader
          cell={cell}
          run={run}
          saveState={saver.state}
          onRun={(mode) => void runWith(mode)}
          onStop={running && run ? () => actions.stop(run.executionId) : undefined}
          onDelete={() => actions.deleteCell(cell.taskId)}
        />
        <CellExplanation explanation={cell.explanation} onAddNote={!cell.note && !addingNote ? () => setAddingNote(true) : undefined} />
        {message && <RefusedRun message={message} onRun={(taskId) => void actions.run('cell', taskId)} />}
        {(cell.kind !== 'flowable' || cell.editor !== undefined) && (
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
        {issues && issues.length > 0 && <CellIssues issues={issues} />}
        {saver.state.kind === 'failed' && <SaveError error={saver.state.error} />}
        {saver.state.kind === 'conflict' && (
          <SaveConflict
            error={saver.state.error}
            onReload={() => void saver.reload().then((text) => text !== undefined && editorRef.current?.setSaved(text))}
            onKeepMine={() => void saver.keepMine()}
          />
        )}
        {run?.error && <RunError error={run.error} />}
        {run?.state === 'PAUSED' && cell.onResume && <CellPause notebookId={notebookId} taskId={cell.taskId} run={run} onResume={cell.onResume} />}
        {run && <CellTabs key={run.executionId} notebookId={notebookId} taskId={cell.taskId} run={run} sql={cell.editor?.property === 'sql' ? cell.editor.code : undefined} />}
      </div>
    </section>
  );
});
