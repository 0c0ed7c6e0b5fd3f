'use client';
/**
 * One namespace file open in the editor: save (Ctrl+S) with the version it was loaded at, so
 * a save made after someone else's is refused and the text stays here to reload or keep;
 * rename; delete after a confirm. Files that are not text, or too large, can be downloaded.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ApiClientError, errorMessage } from '@/lib/client/api';
import { formatBytes } from '@/lib/client/format';
import { languageOf, namespaceFilesApi } from '@/lib/client/namespace-files';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { ErrorBox, Loading } from '@/components/ui/States';
import { CellEditor, type CellEditorHandle } from './CellEditor';

type Notice = { kind: 'ok' | 'error' | 'conflict' | 'gone'; text: string };

export function NamespaceFileDialog({ namespace, path, onClose, onRenamed }: { namespace: string; path: string; onClose: () => void; onRenamed: (to: string) => void }) {
  const qc = useQueryClient();
  const file = useQuery({ queryKey: ['namespace-file', namespace, path], queryFn: () => namespaceFilesApi.read(namespace, path), staleTime: 0, gcTime: 0, refetchOnWindowFocus: false });
  const editor = useRef<CellEditorHandle>(null);
  const [version, setVersion] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [renameTo, setRenameTo] = useState(path);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const loadedVersion = version ?? file.data?.version;
  const refreshList = () => void qc.invalidateQueries({ queryKey: ['namespace-files', namespace] });

  async function save(onVersion?: string) {
    const base = onVersion ?? loadedVersion;
    if (!editor.current || !base || busy) return;
    setBusy(true);
    try {
      const saved = await namespaceFilesApi.save(namespace, path, editor.current.getText(), base);
      setVersion(saved.version);
      setDirty(false);
      setNotice({ kind: 'ok', text: `Saved ${path} (${formatBytes(saved.size)}).` });
      refreshList();
    } catch (err) {
      const status = err instanceof ApiClientError ? err.status : 0;
      setNotice({ kind: status === 409 ? 'conflict' : status === 404 ? 'gone' : 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  /** Takes the text saved elsewhere, dropping this editor's changes. */
  async function reload() {
    const fresh = await file.refetch();
    if (fresh.data?.content != null) {
      editor.current?.setSaved(fresh.data.content);
      setVersion(fresh.data.version);
      setDirty(false);
      setNotice(null);
    }
  }

  /** Saves this editor's text over the one saved elsewhere. */
  async function keepMine() {
    try {
      const current = await namespaceFilesApi.read(namespace, path);
      await save(current.version);
    } catch (err) {
      setNotice({ kind: 'error', text: errorMessage(err) });
    }
  }

  async function createAgain() {
    if (!editor.current) return;
    try {
      const created = await namespaceFilesApi.create(namespace, path, editor.current.getText());
      setVersion(created.version);
      setDirty(false);
      setNotice({ kind: 'ok', text: `Created ${path} again with your text.` });
      refreshList();
    } catch (err) {
      setNotice({ kind: 'error', text: errorMessage(err) });
    }
  }

  async function rename() {
    const to = renameTo.trim();
    if (to === path || to === '') return;
    if (dirty && !window.confirm(`${path} has unsaved changes: rename without them?`)) return;
    try {
      await namespaceFilesApi.rename(namespace, path, to);
      refreshList();
      onRenamed(to);
    } catch (err) {
      setNotice({ kind: 'error', text: errorMessage(err) });
    }
  }

  async function remove() {
    try {
      await namespaceFilesApi.remove(namespace, path);
      refreshList();
      onClose();
    } catch (err) {
      setConfirmDelete(false);
      setNotice({ kind: 'error', text: errorMessage(err) });
    }
  }

  function close(open: boolean) {
    if (open) return;
    if (dirty && !window.confirm(`${path} has unsaved changes: close without saving?`)) return;
    onClose();
  }

  const data = file.data;
  return (
    <Dialog open onOpenChange={close} title={path} description={`A file of the namespace ${namespace}: tasks read it through namespaceFiles and fileURI('${path}').`} wide>
      {data === undefined ? (
        file.isError ? <ErrorBox title={`${path} could not be opened`} message={errorMessage(file.error)} /> : <Loading what={path} />
      ) : (
        <div className="flex flex-col gap-3" data-testid="namespace-file-dialog">
          <div className="flex flex-wrap items-center gap-2">
            <Button variant="primary" size="sm" disabled={busy || data.content === null || !dirty} onClick={() => void save()}>
              Save
            </Button>
            <span className="text-muted text-xs">{dirty ? 'unsaved changes · Ctrl+S saves' : `${formatBytes(data.size)} · saved`}</span>
            <span className="flex-1" />
            <a href={namespaceFilesApi.downloadUrl(namespace, path)} download className="surface rounded-md border px-2 py-0.5 text-xs font-medium hover:bg-black/5">
              ⤓ Download
            </a>
            {confirmDelete ? (
              <span className="flex items-center gap-1 text-xs" role="alert">
                Delete {path}? This cannot be undone.
                <Button variant="danger" size="sm" onClick={() => void remove()}>
                  Delete
                </Button>
                <Button size="sm" onClick={() => setConfirmDelete(false)}>
                  Cancel
                </Button>
              </span>
            ) : (
              <Button variant="danger" size="sm" onClick={() => setConfirmDelete(true)}>
                Delete…
              </Button>
            )}
          </div>
          {notice && (
            <div
              role={notice.kind === 'ok' ? 'status' : 'alert'}
              data-testid="namespace-file-notice"
              className={`flex flex-wrap items-center gap-2 rounded-md px-3 py-1.5 text-xs ${notice.kind === 'ok' ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200' : 'bg-amber-50 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200'}`}
            >
              <span className="flex-1">{notice.text}</span>
              {notice.kind === 'conflict' && (
                <>
                  <Button size="sm" onClick={() => void reload()}>
                    Reload
                  </Button>
                  <Button size="sm" onClick={() => void keepMine()}>
                    Keep mine
                  </Button>
                </>
              )}
              {notice.kind === 'gone' && (
                <Button size="sm" onClick={() => void createAgain()}>
                  Create it again
                </Button>
              )}
            </div>
          )}
          {data.content === null ? (
            <p className="text-muted text-sm" data-testid="namespace-file-not-editable">
              This file does not open in the editor: {data.notEditable}. Download it, or upload a new version over it.
            </p>
          ) : (
            <div className="border-theme overflow-hidden rounded-md border">
              <CellEditor
                ref={editor}
                code={data.content}
                language={languageOf(path)}
                label={`Contents of ${path}`}
                onChange={() => setDirty(true)}
                onBlur={() => undefined}
                onSave={() => void save()}
                onRun={() => undefined}
                onEscape={() => undefined}
              />
            </div>
          )}
          <div className="flex items-center gap-2 text-xs">
            <label htmlFor="namespace-file-rename" className="text-muted">
              Path
            </label>
            <input
              id="namespace-file-rename"
              value={renameTo}
              onChange={(e) => setRenameTo(e.target.value)}
              className="surface border-theme flex-1 rounded-md border px-2 py-1 font-mono"
              spellCheck={false}
            />
            <Button size="sm" disabled={renameTo.trim() === path || renameTo.trim() === ''} onClick={() => void rename()}>
              Rename
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
