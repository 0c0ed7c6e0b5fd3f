'use client';
/**
 * A paused Pause cell: "Paused", the form of its `onResume` inputs (the same widgets as the
 * flow's inputs form) and a Resume button, as Kestra's execution page offers. The cell moves on
 * by the run's live events once the server has resumed it.
 */
import { useState } from 'react';
import type { InputSpec, TaskRun } from '@/lib/contract';
import { api, ApiClientError, errorMessage } from '@/lib/client/api';
import { readInputs, type InputDraft } from '@/lib/client/inputs';
import { Button } from '@/components/ui/Button';
import { InputsForm } from './InputsForm';

type Sending = { kind: 'idle' } | { kind: 'sending' } | { kind: 'failed'; error: string; inputId?: string };

export function CellPause({ notebookId, taskId, run, onResume }: { notebookId: string; taskId: string; run: TaskRun; onResume: readonly InputSpec[] }) {
  const [drafts, setDrafts] = useState<Record<string, InputDraft>>({});
  const [sending, setSending] = useState<Sending>({ kind: 'idle' });
  const specs = [...onResume];
  const { values, errors } = readInputs(specs, drafts);
  const serverErrors = sending.kind === 'failed' && sending.inputId ? { [sending.inputId]: sending.error } : {};

  async function resume() {
    setSending({ kind: 'sending' });
    try {
      await api.resumeExecution(run.executionId, { inputs: values });
      setSending({ kind: 'idle' });
    } catch (err) {
      const inputId = err instanceof ApiClientError ? err.body.inputId : undefined;
      setSending({ kind: 'failed', error: errorMessage(err), ...(inputId ? { inputId } : {}) });
    }
  }

  return (
    <div className="border-theme border-t bg-sky-50 dark:bg-sky-950/30" data-testid="cell-paused">
      <div className="flex flex-wrap items-center gap-2 px-3 pt-2 text-[13px] text-sky-900 dark:text-sky-200">
        <span className="font-semibold">Paused</span>
        <span className="text-muted text-xs">
          {run.details?.pausedAt ? `since ${new Date(run.details.pausedAt).toLocaleTimeString()} · ` : ''}
          {specs.length > 0 ? 'fill in the values the next tasks read, then resume' : 'the execution waits until you resume it'}
        </span>
      </div>
      <InputsForm notebookId={notebookId} inputs={specs} drafts={drafts} serverErrors={serverErrors} onChange={(id, v) => setDrafts((d) => ({ ...d, [id]: v }))} label={`Resume ${taskId}`} testId="resume-form" />
      <div className="flex items-center gap-2 px-3 pb-2">
        <Button variant="primary" size="sm" disabled={sending.kind === 'sending' || Object.keys(errors).length > 0} onClick={() => void resume()}>
          ▶ Resume
        </Button>
        {sending.kind === 'failed' && !sending.inputId && (
          <span role="alert" className="text-xs text-red-600">
            {sending.error}
          </span>
        )}
      </div>
    </div>
  );
}
