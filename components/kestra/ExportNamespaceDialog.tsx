'use client';
/**
 * "Export namespace": every notebook of a namespace (and its children) with the namespace's
 * files, in the layout Kestra's git tasks read (`_flows/…`, `_files/…`): downloaded as a
 * .tar.gz, or written into a folder and committed with git. And the reverse: a folder in that
 * layout imported back as notebooks.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ExportLayoutDto, ImportLayoutDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { kestraApi } from '@/lib/client/kestra';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { ErrorBox } from '@/components/ui/States';

const field = 'surface rounded-md border px-2 py-1 text-[13px] outline-none focus:ring-2 focus:ring-sky-500';

function ExportResult({ result }: { result: ExportLayoutDto }) {
  return (
    <div className="space-y-1 text-[13px]" role="status" data-testid="export-layout-result">
      <p>
        Wrote the layout of {result.rootNamespace} into <span className="font-mono">{result.dir}</span>.
      </p>
      <ul className="font-mono text-xs">
        {result.files.map((f) => (
          <li key={f.path}>
            <span className="text-muted inline-block w-20">{f.change}</span>
            {f.path}
          </li>
        ))}
      </ul>
      {result.commit && (
        <pre className="bg-code border-theme rounded-md border p-2 text-xs whitespace-pre-wrap" data-testid="export-commit">
          {result.commit.initialised ? 'git init, then ' : ''}commit {result.commit.sha.slice(0, 12)}
          {'\n'}
          {result.commit.message}
        </pre>
      )}
      {result.skipped.map((s) => (
        <p key={`${s.namespace}/${s.name}`} className="text-muted text-xs">
          Skipped {s.namespace} {s.name}: {s.reason}
        </p>
      ))}
    </div>
  );
}

function ImportResult({ result }: { result: ImportLayoutDto }) {
  return (
    <div className="space-y-1 text-[13px]" role="status" data-testid="import-layout-result">
      <ul className="font-mono text-xs">
        {result.notebooks.map((n) => (
          <li key={n.path}>
            <span className="text-muted inline-block w-20">{n.change}</span>
            {n.namespace}.{n.flowId} <span className="text-muted">({n.path})</span>
            {n.reason && <span className="text-amber-700 dark:text-amber-300"> — {n.reason}</span>}
          </li>
        ))}
        {result.files.map((f) => (
          <li key={f.path}>
            <span className="text-muted inline-block w-20">{f.change}</span>
            {f.path}
          </li>
        ))}
      </ul>
      {result.warnings.map((w) => (
        <p key={w} className="text-xs text-amber-700 dark:text-amber-300">
          {w}
        </p>
      ))}
    </div>
  );
}

export function ExportNamespaceDialog({ open, onOpenChange, namespace: initial }: { open: boolean; onOpenChange: (o: boolean) => void; namespace: string }) {
  const qc = useQueryClient();
  const [namespace, setNamespace] = useState(initial);
  const [outDir, setOutDir] = useState('');
  const [commit, setCommit] = useState(true);
  const [importDir, setImportDir] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const write = useMutation({ mutationFn: () => kestraApi.exportToDir({ namespace: namespace.trim(), outDir: outDir.trim(), git: commit }) });
  const read = useMutation({
    mutationFn: () => kestraApi.importFromDir({ dir: importDir.trim(), overwrite }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['notebooks'] }),
  });

  function submitExport(e: FormEvent) {
    e.preventDefault();
    write.mutate();
  }
  function submitImport(e: FormEvent) {
    e.preventDefault();
    read.mutate();
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Export namespace"
      description="The notebooks of a namespace and its children, and the namespace's files, in the folder layout Kestra's SyncFlows and SyncNamespaceFiles read: _flows/<id>.yml, _flows/<child>/<id>.yml, _files/…"
      wide
    >
      <div className="space-y-5">
        <section className="space-y-2" aria-label="Export">
          <label className="flex items-center gap-2 text-[13px]">
            <span className="text-muted w-24">Namespace</span>
            <input aria-label="Namespace to export" className={`${field} w-72 font-mono`} value={namespace} onChange={(e) => setNamespace(e.target.value)} />
            <a href={kestraApi.exportUrl(namespace.trim())} download className="surface rounded-md border px-2 py-0.5 text-xs font-medium hover:bg-black/5">
              ⤓ Download .tar.gz
            </a>
          </label>
          <form onSubmit={submitExport} className="flex flex-wrap items-center gap-2 text-[13px]">
            <span className="text-muted w-24">or into a folder</span>
            <input aria-label="Folder on this machine" className={`${field} w-96 font-mono`} placeholder="/home/me/kestra-flows (absolute path on the Flowbook machine)" value={outDir} onChange={(e) => setOutDir(e.target.value)} required />
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={commit} onChange={(e) => setCommit(e.target.checked)} /> commit with git
            </label>
            <Button type="submit" variant="primary" size="sm" disabled={write.isPending}>
              {write.isPending ? 'Exporting…' : 'Export'}
            </Button>
          </form>
          {write.isError && <ErrorBox title="Export failed" message={errorMessage(write.error)} />}
          {write.data && <ExportResult result={write.data} />}
        </section>
        <section className="border-theme space-y-2 border-t pt-4" aria-label="Import">
          <h3 className="text-[13px] font-semibold">Import a layout</h3>
          <form onSubmit={submitImport} className="flex flex-wrap items-center gap-2 text-[13px]">
            <input aria-label="Layout folder to import" className={`${field} w-96 font-mono`} placeholder="/home/me/kestra-flows (holds _flows/ and _files/)" value={importDir} onChange={(e) => setImportDir(e.target.value)} required />
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> replace notebooks that differ
            </label>
            <Button type="submit" size="sm" disabled={read.isPending}>
              {read.isPending ? 'Importing…' : 'Import'}
            </Button>
          </form>
          {read.isError && <ErrorBox title="Import failed" message={errorMessage(read.error)} />}
          {read.data && <ImportResult result={read.data} />}
        </section>
      </div>
    </Dialog>
  );
}
