'use client';
/**
 * One widget per flow input, with the validation the engine would apply. What is typed is
 * kept for the notebook on the server (see useStoredInputs); "Reset to defaults" goes back
 * to the YAML's defaults.
 */
import { useState } from 'react';
import type { InputSpec } from '@/lib/contract';
import { UPLOAD_TOKEN_PREFIX } from '@/lib/contract';
import { initialDraft, readInput, widgetFor, type InputDraft } from '@/lib/client/inputs';
import type { InputsSaveState } from '@/lib/client/use-stored-inputs';
import { uploadFile } from '@/lib/client/uploads';
import { errorMessage } from '@/lib/client/api';
import { formatBytes } from '@/lib/client/format';
import { Button } from '@/components/ui/Button';

const field = 'surface rounded-md border px-2 py-1 text-[13px] outline-none focus:ring-2 focus:ring-sky-500';

type UploadState = { kind: 'idle' } | { kind: 'uploading'; name: string } | { kind: 'done'; name: string; size: number } | { kind: 'failed'; error: string };

/**
 * A FILE input: the chosen file is uploaded at once and the server's token becomes the
 * input's value. While it uploads the value is empty, so a run cannot start with an old file.
 */
function FileWidget({ notebookId, label, value, onChange }: { notebookId: string; label: string; value: string; onChange: (v: InputDraft) => void }) {
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  async function pick(file: File | undefined) {
    if (!file) return;
    setState({ kind: 'uploading', name: file.name });
    const previous = value;
    onChange('');
    try {
      const up = await uploadFile(notebookId, file);
      onChange(up.token);
      setState({ kind: 'done', name: up.name, size: up.size });
    } catch (err) {
      onChange(previous);
      setState({ kind: 'failed', error: errorMessage(err) });
    }
  }
  const fromDefault = value !== '' && !value.startsWith(UPLOAD_TOKEN_PREFIX);
  // A file uploaded earlier (kept with the notebook): its token ends with the stored file name.
  const kept = state.kind === 'idle' && value.startsWith(UPLOAD_TOKEN_PREFIX) ? value.slice(value.lastIndexOf('/') + 1) : undefined;
  return (
    <div className="flex flex-col gap-0.5">
      <input type="file" aria-label={label} className="text-xs file:mr-2 file:rounded file:border file:px-2 file:py-0.5" onChange={(e) => void pick(e.target.files?.[0])} />
      <span className={`text-[11px] ${state.kind === 'failed' ? 'text-red-600' : 'text-muted'}`} data-testid="file-input-status" role={state.kind === 'failed' ? 'alert' : undefined}>
        {state.kind === 'uploading' && `uploading ${state.name}…`}
        {state.kind === 'done' && `uploaded ${state.name} · ${formatBytes(state.size)}`}
        {state.kind === 'failed' && `Upload failed: ${state.error}`}
        {state.kind === 'idle' && fromDefault && `default: ${value}`}
        {kept && `uploaded ${kept} (kept)`}
      </span>
    </div>
  );
}

function Widget({ notebookId, spec, value, onChange }: { notebookId: string; spec: InputSpec; value: InputDraft; onChange: (v: InputDraft) => void }) {
  const str = typeof value === 'string' ? value : '';
  const label = spec.displayName ?? spec.id;
  switch (widgetFor(spec.type)) {
    case 'checkbox':
      return <input type="checkbox" aria-label={label} checked={value === true} onChange={(e) => onChange(e.target.checked)} className="h-4 w-4" />;
    case 'select':
      return (
        <select aria-label={label} className={field} value={str} onChange={(e) => onChange(e.target.value)}>
          {!spec.required && <option value="">—</option>}
          {(spec.values ?? []).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      );
    case 'multiselect': {
      const list = Array.isArray(value) ? value : [];
      return (
        <div className="flex flex-wrap gap-2" role="group" aria-label={label}>
          {(spec.values ?? []).map((v) => (
            <label key={v} className="flex items-center gap-1 text-xs">
              <input type="checkbox" checked={list.includes(v)} onChange={(e) => onChange(e.target.checked ? [...list, v] : list.filter((x) => x !== v))} />
              {v}
            </label>
          ))}
        </div>
      );
    }
    case 'lines':
    case 'json':
    case 'yaml':
      return <textarea aria-label={label} rows={3} className={`${field} font-mono text-xs`} value={str} onChange={(e) => onChange(e.target.value)} placeholder={widgetFor(spec.type) === 'lines' ? 'one item per line' : undefined} />;
    case 'int':
      return <input type="number" step={1} aria-label={label} className={`${field} w-28`} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'float':
      return <input type="number" step="any" aria-label={label} className={`${field} w-28`} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'datetime':
      return <input type="datetime-local" step={1} aria-label={label} className={field} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'date':
      return <input type="date" aria-label={label} className={field} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'time':
      return <input type="time" aria-label={label} className={field} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'email':
      return <input type="email" aria-label={label} className={field} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'url':
      return <input type="url" aria-label={label} className={field} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'password':
      return <input type="password" autoComplete="off" aria-label={label} className={field} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'duration':
      return <input type="text" aria-label={label} placeholder="PT30M" className={`${field} w-28`} value={str} onChange={(e) => onChange(e.target.value)} />;
    case 'file':
      return <FileWidget notebookId={notebookId} label={label} value={str} onChange={onChange} />;
    case 'text':
      return <input type="text" aria-label={label} className={field} value={str} onChange={(e) => onChange(e.target.value)} />;
  }
}

function SaveStatus({ save }: { save: InputsSaveState }) {
  switch (save.kind) {
    case 'idle':
      return null;
    case 'saving':
      return <span className="text-muted text-[11px]">saving…</span>;
    case 'saved':
      return <span className="text-muted text-[11px]">values kept</span>;
    case 'failed':
      return (
        <span className="text-[11px] text-red-600" role="alert">
          Not kept: {save.error}
        </span>
      );
  }
}

export function InputsForm({
  notebookId,
  inputs,
  drafts,
  serverErrors,
  onChange,
  edited = false,
  save = { kind: 'idle' },
  onReset,
  label = 'Inputs',
  testId = 'inputs-form',
}: {
  notebookId: string;
  inputs: InputSpec[];
  drafts: Record<string, InputDraft>;
  serverErrors: Record<string, string>;
  onChange: (id: string, v: InputDraft) => void;
  /** Whether any value differs from the YAML's defaults. */
  edited?: boolean;
  save?: InputsSaveState;
  onReset?: () => void;
  /** The form's accessible name (a paused cell's Resume form is another inputs form on the page). */
  label?: string;
  testId?: string;
}) {
  if (inputs.length === 0) return null;
  return (
    <form className="flex flex-wrap items-start gap-x-5 gap-y-3 px-4 py-3" onSubmit={(e) => e.preventDefault()} aria-label={label} data-testid={testId}>
      {inputs.map((spec) => {
        const draft = drafts[spec.id] ?? initialDraft(spec);
        const check = readInput(spec, draft);
        const error = serverErrors[spec.id] ?? (check.ok ? undefined : check.error);
        return (
          <div key={spec.id} className="flex flex-col gap-1">
            <span className="text-muted flex items-center gap-1 text-[11px] font-medium" title={spec.description}>
              {spec.displayName ?? spec.id}
              {spec.required && <span className="text-red-500">*</span>}
              <span className="font-mono text-[10px] opacity-70">{spec.type}</span>
            </span>
            <Widget notebookId={notebookId} spec={spec} value={draft} onChange={(v) => onChange(spec.id, v)} />
            {error && <span className="text-[11px] text-red-600">{error}</span>}
          </div>
        );
      })}
      {onReset && (
        <div className="ml-auto flex flex-col items-end gap-1 self-center" data-testid="inputs-save">
          <Button size="sm" variant="ghost" onClick={onReset} disabled={!edited} title="Forget the values typed here and use the defaults written in the YAML">
            ↺ Reset to defaults
          </Button>
          <SaveStatus save={save} />
        </div>
      )}
    </form>
  );
}
