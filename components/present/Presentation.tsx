'use client';
/**
 * Presentation mode: the notebook one cell at a time, full screen, in large type. → or Space
 * moves on, ← goes back, Enter runs the cell shown (its output appears under the code), Esc
 * leaves. The root carries `data-testid="presentation"` and the cell's id: the share button's
 * focus sender reads them, so a class following the notebook sees the same slide.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CellMessage, CellWithRun } from '@/lib/client/notebook-run';
import { presentationCommand, stepSlide } from '@/lib/client/presentation';
import { Button } from '@/components/ui/Button';
import { CellTabs } from '@/components/notebook/CellTabs';
import { ProgressStrip, Slide } from './Slide';

export function Presentation({
  notebookId,
  title,
  cells,
  messages,
  startAt,
  onRun,
  onClose,
}: {
  notebookId: string;
  title: string;
  cells: readonly CellWithRun[];
  messages: Readonly<Record<string, CellMessage>>;
  /** The cell to open on (the one in view on the page); the first when absent or gone. */
  startAt?: string;
  onRun: (taskId: string) => void;
  onClose: () => void;
}) {
  const [index, setIndex] = useState(() => Math.max(0, cells.findIndex((c) => c.cell.taskId === startAt)));
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => root.current?.focus(), []);
  const current = cells[Math.min(index, cells.length - 1)];

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const command = presentationCommand(e.key);
    if (!command) return;
    e.preventDefault();
    e.stopPropagation();
    if (command === 'exit') onClose();
    else if (command === 'run') {
      if (current && !current.cell.disabled) onRun(current.cell.taskId);
    } else setIndex((i) => stepSlide(i, cells.length, command));
  };

  const message = current ? messages[current.cell.taskId] : undefined;
  return (
    <div
      ref={root}
      tabIndex={-1}
      role="dialog"
      aria-modal="true"
      aria-label={`Presenting ${title}`}
      onKeyDown={onKeyDown}
      data-testid="presentation"
      data-task-id={current?.cell.taskId}
      className="surface fixed inset-0 z-50 flex flex-col outline-none"
    >
      <header className="border-theme flex items-center gap-3 border-b px-6 py-2 text-sm">
        <span className="font-semibold">{title}</span>
        <span className="text-muted">→ / Space next · ← back · Enter runs the cell · Esc leaves</span>
        <span className="flex-1" />
        <Button size="sm" onClick={onClose} aria-label="Leave presentation">
          Esc · Leave
        </Button>
      </header>
      <main className="min-h-0 flex-1 overflow-auto px-8 py-8">
        {current ? (
          <Slide cell={current.cell} state={current.run?.state} index={index} count={cells.length}>
            {message && (
              <p className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-lg dark:border-amber-700 dark:bg-amber-950" data-testid="slide-message">
                {message.text}
              </p>
            )}
            {current.run ? (
              <section className="surface rounded-lg border text-base" data-testid="slide-output">
                <CellTabs notebookId={notebookId} taskId={current.cell.taskId} run={current.run} sql={current.cell.editor?.language === 'sql' ? current.cell.editor.code : undefined} />
              </section>
            ) : (
              <p className="text-muted text-lg">Press Enter to run this cell.</p>
            )}
          </Slide>
        ) : (
          <p className="text-muted text-center text-xl">This notebook has no cells.</p>
        )}
      </main>
      <footer className="border-theme border-t px-6 py-3">
        <ProgressStrip cells={cells.map((c) => ({ taskId: c.cell.taskId, state: c.run?.state }))} current={index} onPick={setIndex} />
      </footer>
    </div>
  );
}
