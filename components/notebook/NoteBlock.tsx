'use client';
/** A markdown note above a task; it travels in the YAML as a comment. */
import { useState } from 'react';
import { Markdown } from '@/components/ui/Markdown';
import { Button } from '@/components/ui/Button';
import { errorMessage } from '@/lib/client/api';
import { NoteConflictError } from '@/lib/client/note-save';
import { SaveConflict } from './SaveConflict';

export function NoteBlock({ note, onSave, startEditing = false, onDone }: { note?: string; onSave: (note: string | null) => Promise<void>; startEditing?: boolean; onDone?: () => void }) {
  const [editing, setEditing] = useState(startEditing);
  const [text, setText] = useState(note ?? '');
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<NoteConflictError | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(value: string | null, write: (v: string | null) => Promise<void> = onSave) {
    setBusy(true);
    setError(null);
    setConflict(null);
    try {
      await write(value);
      setEditing(false);
      onDone?.();
    } catch (err) {
      // Someone changed this note meanwhile: the user's text stays until they pick Reload or Keep mine.
      if (err instanceof NoteConflictError) setConflict(err);
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (editing) {
    return (
      <div className="mb-2 rounded-lg border border-dashed border-slate-300 p-2 dark:border-slate-600" data-testid="note-editor">
        <textarea aria-label="Note (markdown)" className="bg-code w-full rounded p-2 font-mono text-xs" rows={4} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        {error && <div className="text-xs text-red-600">Note not saved: {error}</div>}
        {conflict && (
          <SaveConflict
            error={conflict.message}
            onReload={() => {
              setConflict(null);
              setText(conflict.saved ?? '');
              setEditing(false);
              conflict.reload();
              onDone?.();
            }}
            onKeepMine={() => void save(text.trim() ? text : null, (v) => conflict.keepMine(v))}
          />
        )}
        <div className="mt-1 flex gap-2">
          <Button size="sm" variant="primary" disabled={busy || conflict !== null} onClick={() => void save(text.trim() ? text : null)}>
            Save note
          </Button>
          <Button
            size="sm"
            onClick={() => {
              setEditing(false);
              setText(note ?? '');
              onDone?.();
            }}
          >
            Cancel
          </Button>
          {note && (
            <Button size="sm" variant="danger" disabled={busy} onClick={() => void save(null)}>
              Remove
            </Button>
          )}
        </div>
      </div>
    );
  }
  if (!note) return null;
  return (
    <div className="group mb-2 flex gap-2 border-l-4 border-slate-300 py-1 pr-2 pl-3 dark:border-slate-600" data-testid="note">
      <span aria-hidden className="text-muted font-serif">¶</span>
      <Markdown text={note} className="flex-1 text-[13px]" />
      <button type="button" className="text-muted text-xs opacity-0 group-hover:opacity-100 focus:opacity-100" onClick={() => setEditing(true)}>
        edit
      </button>
    </div>
  );
}
