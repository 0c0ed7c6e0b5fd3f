'use client';
/**
 * "+ Add cell": a task type picked from the ones Flowbook runs, its example YAML to start
 * from, and the insert request. A refused insert (duplicate id, bad YAML) shows the
 * server's message and keeps the typed text so nothing is lost.
 */
import { useState } from 'react';
import type { TaskTypeDto } from '@/lib/contract';
import { api, errorMessage } from '@/lib/client/api';
import { useSetNotebook, useTaskTypes } from '@/lib/client/queries';
import { Button } from '@/components/ui/Button';

export interface AddCellProps {
  notebookId: string;
  /** The task the new one goes after (in the same list); null for the start of the flow. */
  afterTaskId: string | null;
  depth: number;
  /** Called with the new task's id once the notebook holding it is in the cache. */
  onInserted?: (taskId: string) => void;
}

/** The `id:` the user wrote at the top level of the task YAML, for focusing the new cell. */
function idOf(source: string): string | undefined {
  return /^id:\s*["']?([\w.-]+)/m.exec(source)?.[1];
}

function sortTypes(types: TaskTypeDto[]): TaskTypeDto[] {
  return [...types].sort((a, b) => a.title.localeCompare(b.title));
}

export function AddCell({ notebookId, afterTaskId, depth, onInserted }: AddCellProps) {
  const [open, setOpen] = useState(false);
  const where = afterTaskId ? `after ${afterTaskId}` : 'at the start';
  return (
    <div style={{ marginLeft: depth * 22 }} className="group -mt-1 mb-2" data-testid="add-cell" data-after={afterTaskId ?? ''}>
      {open ? (
        <AddCellForm notebookId={notebookId} afterTaskId={afterTaskId} where={where} onClose={() => setOpen(false)} onInserted={onInserted} />
      ) : (
        <button
          type="button"
          aria-label={`Add cell ${where}`}
          onClick={() => setOpen(true)}
          className="text-muted flex w-full items-center gap-2 rounded text-[11px] opacity-60 outline-none group-hover:opacity-100 focus-visible:opacity-100 focus-visible:ring-2 focus-visible:ring-sky-500"
        >
          <span className="h-px flex-1 bg-current/20" />
          <span>+ Add cell</span>
          <span className="h-px flex-1 bg-current/20" />
        </button>
      )}
    </div>
  );
}

function AddCellForm({ notebookId, afterTaskId, where, onClose, onInserted }: { notebookId: string; afterTaskId: string | null; where: string; onClose: () => void; onInserted?: (taskId: string) => void }) {
  const types = useTaskTypes();
  const setNotebook = useSetNotebook();
  const [type, setType] = useState('');
  const [source, setSource] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const list = types.data ? sortTypes(types.data) : [];

  function pick(next: string) {
    setType(next);
    setError(null);
    const def = list.find((t) => t.type === next);
    if (def) setSource(def.example);
  }

  async function insert() {
    setBusy(true);
    setError(null);
    try {
      const nb = await api.insertCell(notebookId, { afterTaskId, source });
      setNotebook(nb);
      onClose();
      const id = idOf(source);
      if (id) onInserted?.(id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const chosen = list.find((t) => t.type === type);
  return (
    <div className="surface rounded-xl border border-dashed border-sky-400 p-3 shadow-sm dark:border-sky-700" data-testid="add-cell-form">
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <span className="text-[13px] font-semibold">New cell {where}</span>
        <select aria-label="Task type" className="surface max-w-full rounded-md border px-2 py-1 text-[13px]" value={type} onChange={(e) => pick(e.target.value)} disabled={!types.data}>
          <option value="">{types.isPending ? 'Loading task types…' : 'Choose a task type…'}</option>
          {list.map((t) => (
            <option key={t.type} value={t.type}>
              {t.title} — {t.type.split('.').slice(-2).join('.')}
            </option>
          ))}
        </select>
      </div>
      {types.isError && <div className="mb-2 text-xs text-red-600">Task types could not be loaded: {errorMessage(types.error)}</div>}
      {chosen && <p className="text-muted mb-2 text-[12.5px]">{chosen.description}</p>}
      <textarea
        aria-label="New task YAML"
        className="bg-code w-full rounded-md border p-2 font-mono text-xs"
        rows={Math.min(16, Math.max(5, source.split('\n').length + 1))}
        spellCheck={false}
        value={source}
        placeholder={'id: my_task\ntype: io.kestra.plugin.core.log.Log\nmessage: hello'}
        onChange={(e) => setSource(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void insert();
          }
        }}
      />
      {error && (
        <div role="alert" className="mt-1 rounded bg-red-50 px-2 py-1 text-xs whitespace-pre-wrap text-red-700 dark:bg-red-950/40 dark:text-red-300" data-testid="add-cell-error">
          Not inserted — your text is kept. {error}
        </div>
      )}
      <div className="mt-2 flex gap-2">
        <Button variant="primary" size="sm" disabled={busy || source.trim() === ''} onClick={() => void insert()}>
          Insert cell
        </Button>
        <Button size="sm" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
