'use client';
/** What the task type does, first sentence until opened, and the "+ note" link for a cell without one. */
import { useState } from 'react';

export function CellExplanation({ explanation, onAddNote }: { explanation: string; /** Absent when the cell has a note already. */ onAddNote?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="border-theme text-muted border-t px-3 py-1.5 text-[12.5px]">
      <button type="button" className="text-left" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="mr-1">{open ? '▾' : '▸'}</span>
        {open ? explanation : `${explanation.split(/(?<=\.)\s/)[0]}`}
      </button>
      {onAddNote && (
        <button type="button" className="ml-2 text-[11px] text-sky-700 hover:underline dark:text-sky-400" onClick={onAddNote}>
          + note
        </button>
      )}
    </div>
  );
}
