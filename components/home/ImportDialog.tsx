'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiClientError, errorMessage } from '@/lib/client/api';
import type { FlowIssue } from '@/lib/contract';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { ErrorBox } from '@/components/ui/States';
import { IssueList } from './IssueList';

/** Paste or pick a flow YAML. A broken document shows its errors and saves nothing. */
export function ImportDialog({
  open,
  onOpenChange,
  initialText,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  initialText?: string;
}) {
  const router = useRouter();
  const qc = useQueryClient();
  const [text, setText] = useState(initialText ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; issues: FlowIssue[] } | null>(null);
  const [seenInitial, setSeenInitial] = useState(initialText);
  if (initialText !== seenInitial) {
    setSeenInitial(initialText);
    if (initialText !== undefined) setText(initialText);
  }

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const { id } = await api.createNotebook({ yaml: text });
      await qc.invalidateQueries({ queryKey: ['notebooks'] });
      onOpenChange(false);
      router.push(`/notebooks/${encodeURIComponent(id)}`);
    } catch (err) {
      setError({ message: errorMessage(err), issues: err instanceof ApiClientError ? (err.body.issues ?? []) : [] });
    } finally {
      setBusy(false);
    }
  }

  async function pickFile(file: File | undefined) {
    if (file) setText(await file.text());
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Import a flow" description="Paste Kestra flow YAML, or choose a .yml file.">
      <div className="space-y-3">
        <textarea
          aria-label="Flow YAML"
          className="bg-code border-theme h-72 w-full rounded-md border p-2 font-mono text-xs"
          spellCheck={false}
          placeholder={'id: hello_world\nnamespace: zoomcamp\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: Hello'}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <label className="text-muted flex items-center gap-2 text-xs">
          Or upload a file:
          <input type="file" accept=".yml,.yaml,text/yaml" aria-label="Upload flow file" onChange={(e) => void pickFile(e.target.files?.[0])} />
        </label>
        {error && (
          <ErrorBox title="This flow cannot be imported" message={error.message}>
            {error.issues.length > 0 && <IssueList issues={error.issues} />}
          </ErrorBox>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" disabled={busy || !text.trim()} onClick={() => void submit()}>
            {busy ? 'Importing…' : 'Import'}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
