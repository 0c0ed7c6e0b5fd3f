'use client';
/**
 * One cell as a slide, in large type: its note, what the task does, the code, then whatever
 * output the caller passes. The teacher's presentation and the class's follow page both
 * draw cells with it, so a class sees the same slide the teacher shows.
 */
import type { ReactNode } from 'react';
import type { CellDto, State } from '@/lib/contract';
import { Markdown } from '@/components/ui/Markdown';
import { StateIcon } from '@/components/ui/StateIcon';

export function Slide({ cell, state, index, count, children }: { cell: CellDto; state?: State; index: number; count: number; children?: ReactNode }) {
  return (
    <article className="mx-auto flex w-full max-w-5xl flex-col gap-5" data-testid="slide" data-task-id={cell.taskId} data-state={state ?? 'NONE'}>
      <header className="flex items-baseline gap-3">
        <span className="text-muted text-base tabular-nums">
          {index + 1} / {count}
        </span>
        <span className="text-3xl">
          <StateIcon state={state} />
        </span>
        <h2 className="font-mono text-3xl font-semibold">{cell.taskId}</h2>
        <span className="text-muted text-lg">{cell.title}</span>
        {cell.disabled && <span className="rounded bg-slate-200 px-2 text-sm dark:bg-slate-700">disabled</span>}
      </header>
      {cell.note && <Markdown text={cell.note} className="text-xl leading-relaxed" />}
      <p className="text-muted text-lg leading-relaxed">{cell.explanation}</p>
      <pre className="overflow-auto rounded-lg bg-slate-50 p-4 font-mono text-lg leading-snug dark:bg-slate-900" data-testid="slide-code">
        {cell.editor?.code ?? cell.source}
      </pre>
      {children}
    </article>
  );
}

/** The strip of cells along the bottom: one mark per cell in its state, the current one raised. */
export function ProgressStrip({ cells, current, onPick }: { cells: { taskId: string; state?: State }[]; current: number; onPick?: (index: number) => void }) {
  return (
    <nav className="flex flex-wrap items-center justify-center gap-1.5" aria-label="Cells" data-testid="progress-strip">
      {cells.map((c, i) => (
        <button
          key={c.taskId}
          type="button"
          tabIndex={-1}
          disabled={!onPick}
          onClick={() => onPick?.(i)}
          title={`${c.taskId}${c.state ? ` · ${c.state.toLowerCase()}` : ''}`}
          aria-current={i === current ? 'step' : undefined}
          data-testid="progress-cell"
          data-state={c.state ?? 'NONE'}
          className={`flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs ${i === current ? 'border-sky-500 bg-sky-50 font-semibold dark:bg-sky-950' : 'opacity-70'}`}
        >
          <StateIcon state={c.state} />
          <span className="max-w-[10rem] truncate font-mono">{c.taskId}</span>
        </button>
      ))}
    </nav>
  );
}
