'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '@/lib/client/api';
import { useNotebooks } from '@/lib/client/queries';
import type { NotebookSummary } from '@/lib/contract';
import { TopBar } from '@/components/ui/TopBar';
import { Button } from '@/components/ui/Button';
import { Empty, ErrorBox, Loading } from '@/components/ui/States';
import { ImportDialog } from './ImportDialog';
import { CourseImportDialog } from './CourseImportDialog';
import { NotebookGroups } from './NotebookGroups';
import { NotebookRow } from './NotebookRow';
import { emptyNotebookYaml } from './emptyNotebook';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function NotebookList() {
  const router = useRouter();
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 200);
  const list = useNotebooks(q);
  const [importOpen, setImportOpen] = useState(false);
  const [courseOpen, setCourseOpen] = useState(false);
  const [dropped, setDropped] = useState<string | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  const [undo, setUndo] = useState<NotebookSummary | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  // A course lists its notebooks itself: a copy, a deletion or a restore changes it too.
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ['notebooks'] }), qc.invalidateQueries({ queryKey: ['collections'] })]);

  async function act(what: string, fn: () => Promise<void>) {
    setActionError(null);
    try {
      await fn();
    } catch (err) {
      setActionError(`${what}: ${errorMessage(err)}`);
    }
  }

  const createEmpty = () =>
    act('Creating a notebook failed', async () => {
      const { id } = await api.createNotebook({ yaml: emptyNotebookYaml() });
      await refresh();
      router.push(`/notebooks/${encodeURIComponent(id)}`);
    });
  const duplicate = (nb: NotebookSummary) =>
    act(`Duplicating ${nb.flowId} failed`, async () => {
      await api.duplicateNotebook(nb.id);
      await refresh();
    });
  const remove = (nb: NotebookSummary) =>
    act(`Deleting ${nb.flowId} failed`, async () => {
      await api.deleteNotebook(nb.id);
      setUndo(nb);
      await refresh();
    });
  const restore = (nb: NotebookSummary) =>
    act(`Restoring ${nb.flowId} failed`, async () => {
      await api.restoreNotebook(nb.id);
      setUndo(null);
      await refresh();
    });

  async function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    const text = file ? await file.text() : e.dataTransfer.getData('text/plain');
    if (text) {
      setDropped(text);
      setImportOpen(true);
    }
  }

  const notebooks = (list.data ?? []).filter((n) => !n.deleted);

  return (
    <div
      className="flex min-h-screen flex-col"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => void onDrop(e)}
    >
      <TopBar />
      <main className="mx-auto w-full max-w-5xl flex-1 px-6 py-8">
        <div className="mb-6 flex flex-wrap items-end gap-3">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Notebooks</h1>
            <p className="text-muted">Each notebook is a Kestra flow. Open one to run its tasks as cells.</p>
          </div>
          <div className="flex-1" />
          <Button onClick={() => void createEmpty()}>+ New notebook</Button>
          <Button onClick={() => setCourseOpen(true)}>⤒ Import course</Button>
          <Button
            variant="primary"
            onClick={() => {
              setDropped(undefined);
              setImportOpen(true);
            }}
          >
            ⤒ Import flow
          </Button>
        </div>
        <input
          type="search"
          placeholder="Search by id, namespace or description…"
          aria-label="Search notebooks"
          className="surface mb-4 w-full rounded-lg border px-3 py-2 outline-none focus:ring-2 focus:ring-sky-500"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {actionError && <ErrorBox title="Something went wrong" message={actionError} />}
        {dragging && (
          <div className="mb-4 rounded-lg border-2 border-dashed border-sky-500 bg-sky-50 p-6 text-center text-sky-800 dark:bg-sky-950 dark:text-sky-200">
            Drop a flow YAML file to import it
          </div>
        )}
        {list.isPending ? (
          <Loading what="notebooks" />
        ) : list.isError ? (
          <ErrorBox title="Could not load notebooks" message={errorMessage(list.error)} />
        ) : notebooks.length === 0 ? (
          <Empty>
            {q ? (
              <>No notebook matches “{q}”.</>
            ) : (
              <>No notebooks yet. Import a flow, drop a YAML file here, or start an empty notebook.</>
            )}
          </Empty>
        ) : (
          <NotebookGroups
            notebooks={notebooks}
            row={(nb) => (
              <NotebookRow
                key={nb.id}
                nb={nb}
                onOpen={() => router.push(`/notebooks/${encodeURIComponent(nb.id)}`)}
                onDuplicate={() => void duplicate(nb)}
                onDelete={() => void remove(nb)}
              />
            )}
          />
        )}
      </main>
      {undo && (
        <div role="status" className="fixed bottom-6 left-1/2 z-30 flex -translate-x-1/2 items-center gap-3 rounded-lg bg-slate-900 px-4 py-2 text-white shadow-xl">
          Deleted {undo.namespace}/{undo.flowId}.
          <button type="button" className="font-semibold text-sky-300 hover:underline" onClick={() => void restore(undo)}>
            Undo
          </button>
          <button type="button" aria-label="Dismiss" className="text-slate-400" onClick={() => setUndo(null)}>
            ✕
          </button>
        </div>
      )}
      <ImportDialog open={importOpen} onOpenChange={setImportOpen} initialText={dropped} />
      <CourseImportDialog open={courseOpen} onOpenChange={setCourseOpen} />
    </div>
  );
}
