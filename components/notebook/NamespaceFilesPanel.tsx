'use client';
/**
 * The notebook's namespace files, in the right-hand column: a tree by folder, a new file,
 * uploads (picked or dropped, one or several; into the selected folder) and the editor for
 * the file clicked. These are the files `namespaceFiles` copies into a task's working
 * directory and `fileURI()` points at, and they travel with the .zip export.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { ApiClientError, errorMessage } from '@/lib/client/api';
import { formatBytes } from '@/lib/client/format';
import { fileTree, namespaceFilesApi, uploadNamespaceFile, uploadPath, type FileTreeNode } from '@/lib/client/namespace-files';
import { Button } from '@/components/ui/Button';
import { ErrorBox, Loading } from '@/components/ui/States';
import { NamespaceFileDialog } from './NamespaceFileDialog';

type Message = { kind: 'ok' | 'error'; text: string };

export function NamespaceFilesPanel({ namespace }: { namespace: string }) {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['namespace-files', namespace], queryFn: () => namespaceFilesApi.list(namespace) });
  const [open, setOpen] = useState<string | null>(null);
  const [folder, setFolder] = useState('');
  const [newPath, setNewPath] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['namespace-files', namespace] });

  async function create(e: FormEvent) {
    e.preventDefault();
    const path = (newPath ?? '').trim();
    if (!path) return;
    try {
      await namespaceFilesApi.create(namespace, path, '');
      setNewPath(null);
      setMessage(null);
      await refresh();
      setOpen(path);
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  }

  async function upload(files: readonly File[]) {
    const existing = new Set(list.data?.files.map((f) => f.path));
    const done: string[] = [];
    const failed: string[] = [];
    for (const file of files) {
      const path = uploadPath(folder, file.name);
      const overwrite = existing.has(path);
      if (overwrite && !window.confirm(`${path} already exists in ${namespace}. Replace it?`)) continue;
      try {
        await uploadNamespaceFile(namespace, path, file, overwrite);
        done.push(path);
      } catch (err) {
        failed.push(err instanceof ApiClientError ? err.body.error : `${path}: ${errorMessage(err)}`);
      }
    }
    await refresh();
    if (failed.length) setMessage({ kind: 'error', text: `${done.length ? `Uploaded ${done.join(', ')}. ` : ''}Not uploaded: ${failed.join('; ')}` });
    else if (done.length) setMessage({ kind: 'ok', text: `Uploaded ${done.join(', ')}.` });
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length) void upload(files);
  }

  return (
    <div
      data-testid="namespace-files"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className={`rounded-md ${dragging ? 'outline-2 outline-offset-2 outline-emerald-500 outline-dashed' : ''}`}
    >
      <div className="mb-2 flex flex-wrap items-center gap-1.5">
        <Button size="sm" onClick={() => setNewPath(folder ? `${folder}/` : '')}>
          + New file
        </Button>
        <Button size="sm" onClick={() => picker.current?.click()}>
          ⤒ Upload
        </Button>
        <input
          ref={picker}
          type="file"
          multiple
          className="hidden"
          data-testid="namespace-files-upload"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length) void upload(files);
          }}
        />
      </div>
      {newPath !== null && (
        <form onSubmit={(e) => void create(e)} className="mb-2 flex gap-1">
          <input
            autoFocus
            aria-label="New file path"
            placeholder="scripts/hello.py"
            value={newPath}
            onChange={(e) => setNewPath(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setNewPath(null)}
            className="surface border-theme min-w-0 flex-1 rounded-md border px-2 py-0.5 font-mono text-xs"
            spellCheck={false}
          />
          <Button size="sm" variant="primary" type="submit">
            Create
          </Button>
        </form>
      )}
      {message && (
        <p role={message.kind === 'ok' ? 'status' : 'alert'} className={`mb-2 text-xs ${message.kind === 'ok' ? 'text-emerald-700 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'}`}>
          {message.text}
        </p>
      )}
      {list.isPending ? (
        <Loading what="files" />
      ) : list.isError ? (
        <ErrorBox title="Namespace files" message={errorMessage(list.error)} />
      ) : list.data.files.length === 0 ? (
        <p className="text-muted text-xs">No files in {namespace} yet. Create one, or drop files here.</p>
      ) : (
        <>
          <ul role="tree" aria-label={`Files of ${namespace}`} className="font-mono text-xs">
            <TreeRows nodes={fileTree(list.data.files)} depth={0} folder={folder} onFolder={setFolder} onOpen={setOpen} />
          </ul>
          <p className="text-muted mt-1 text-[11px]">
            {list.data.files.length} files · {formatBytes(list.data.totalBytes)} · uploads go to {folder ? `${folder}/` : 'the top folder'}
          </p>
        </>
      )}
      {open !== null && <NamespaceFileDialog key={open} namespace={namespace} path={open} onClose={() => setOpen(null)} onRenamed={setOpen} />}
    </div>
  );
}

function TreeRows({ nodes, depth, folder, onFolder, onOpen }: { nodes: FileTreeNode[]; depth: number; folder: string; onFolder: (f: string) => void; onOpen: (p: string) => void }) {
  return nodes.map((node) =>
    node.file ? (
      <li key={node.path} role="treeitem" aria-selected={false} style={{ paddingLeft: depth * 12 }}>
        <button type="button" className="w-full truncate rounded px-1 py-0.5 text-left hover:bg-black/5 dark:hover:bg-white/10" title={`${node.path} · ${formatBytes(node.file.size)}`} onClick={() => onOpen(node.path)}>
          {node.name}
        </button>
      </li>
    ) : (
      <li key={node.path} role="treeitem" aria-selected={folder === node.path} aria-expanded>
        <button
          type="button"
          style={{ paddingLeft: depth * 12 + 4 }}
          className={`w-full truncate rounded py-0.5 text-left font-semibold ${folder === node.path ? 'bg-sky-100 dark:bg-sky-950' : 'hover:bg-black/5 dark:hover:bg-white/10'}`}
          title="Select: new files and uploads go here"
          onClick={() => onFolder(folder === node.path ? '' : node.path)}
        >
          ▾ {node.name}/
        </button>
        <ul role="group">
          <TreeRows nodes={node.children} depth={depth + 1} folder={folder} onFolder={onFolder} onOpen={onOpen} />
        </ul>
      </li>
    ),
  );
}
