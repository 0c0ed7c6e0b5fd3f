'use client';
/** The notebook as flow YAML: view, copy, download, and the diff against the imported original. */
import * as Tabs from '@radix-ui/react-tabs';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, errorMessage } from '@/lib/client/api';
import { diffLines } from '@/lib/client/line-diff';
import { namespaceFilesApi } from '@/lib/client/namespace-files';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { ErrorBox, Loading } from '@/components/ui/States';

export function ExportDialog({ open, onOpenChange, notebookId, originalYaml, version }: { open: boolean; onOpenChange: (o: boolean) => void; notebookId: string; originalYaml: string; version: number }) {
  const q = useQuery({ queryKey: ['export', notebookId, version], queryFn: () => api.exportYaml(notebookId), enabled: open });
  const [copied, setCopied] = useState<string | null>(null);
  const diff = useMemo(() => (q.data === undefined ? [] : diffLines(originalYaml, q.data)), [originalYaml, q.data]);
  const changes = diff.filter((l) => l.kind !== 'same').length;

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied to the clipboard.');
    } catch (err) {
      setCopied(`Copy failed (${errorMessage(err)}); select the text and copy it by hand.`);
    }
  }

  const trigger = 'border-b-2 border-transparent px-1 py-1.5 text-[13px] text-muted data-[state=active]:border-orange-400 data-[state=active]:text-current data-[state=active]:font-semibold';
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Export YAML" description="This is the flow exactly as Kestra will receive it." wide>
      {q.isPending ? (
        <Loading what="YAML" />
      ) : q.isError ? (
        <ErrorBox title="Export failed" message={errorMessage(q.error)} />
      ) : (
        <Tabs.Root defaultValue="yaml">
          <div className="flex items-center gap-4">
            <Tabs.List className="flex gap-4" aria-label="Export views">
              <Tabs.Trigger value="yaml" className={trigger}>
                YAML
              </Tabs.Trigger>
              <Tabs.Trigger value="diff" className={trigger}>
                Diff vs imported ({changes === 0 ? 'no changes' : `${changes} lines`})
              </Tabs.Trigger>
            </Tabs.List>
            <span className="flex-1" />
            {copied && <span className="text-muted text-xs" role="status">{copied}</span>}
            <Button size="sm" onClick={() => void copy(q.data)}>
              ⧉ Copy
            </Button>
            <a href={api.exportUrl(notebookId, true)} download className="surface rounded-md border px-2 py-0.5 text-xs font-medium hover:bg-black/5">
              ⤓ Download
            </a>
            <a
              href={namespaceFilesApi.bundleUrl(notebookId)}
              download
              title="The flow YAML and the namespace's files as one .zip: <flowId>.yaml and _files/<namespace>/…"
              className="surface rounded-md border px-2 py-0.5 text-xs font-medium hover:bg-black/5"
            >
              ⤓ Download with namespace files (.zip)
            </a>
          </div>
          <Tabs.Content value="yaml">
            <pre className="bg-code border-theme mt-3 max-h-[60vh] overflow-auto rounded-lg border p-3 font-mono text-xs" data-testid="export-yaml">
              {q.data}
            </pre>
          </Tabs.Content>
          <Tabs.Content value="diff">
            <div className="border-theme mt-3 max-h-[60vh] overflow-auto rounded-lg border font-mono text-xs" data-testid="export-diff">
              {diff.map((l, i) => (
                <div
                  key={i}
                  className={`flex whitespace-pre ${l.kind === 'add' ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200' : l.kind === 'del' ? 'bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-200' : ''}`}
                >
                  <span className="text-muted w-10 shrink-0 pr-2 text-right select-none">{l.oldNo ?? ''}</span>
                  <span className="text-muted w-10 shrink-0 pr-2 text-right select-none">{l.newNo ?? ''}</span>
                  <span className="w-4 shrink-0 select-none">{l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' '}</span>
                  <span>{l.text}</span>
                </div>
              ))}
            </div>
          </Tabs.Content>
        </Tabs.Root>
      )}
    </Dialog>
  );
}
