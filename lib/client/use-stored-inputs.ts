'use client';
/**
 * The notebook's inputs form, kept on the server: the stored values become the form's
 * drafts when the page opens, and every edit is saved (debounced) so the values survive a
 * reload or a server restart. Only values that differ from the YAML defaults are kept, and
 * "Reset to defaults" forgets them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputSpec } from '@/lib/contract';
import { api, errorMessage } from './api';
import { keys } from './queries';
import { draftsFromValues, valuesToStore, type InputDraft } from './inputs';

const SAVE_DELAY_MS = 400;

export type InputsSaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: string };

export function useStoredInputs(notebookId: string, specs: InputSpec[], ready: boolean) {
  const qc = useQueryClient();
  const stored = useQuery({ queryKey: keys.inputs(notebookId), queryFn: () => api.getInputs(notebookId), staleTime: Infinity });
  const [drafts, setDrafts] = useState<Record<string, InputDraft>>({});
  const [loaded, setLoaded] = useState(false);
  const [save, setSave] = useState<InputsSaveState>({ kind: 'idle' });
  const latest = useRef({ specs, drafts, stored: stored.data?.values ?? {} });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef(false);

  useEffect(() => {
    latest.current = { specs, drafts, stored: stored.data?.values ?? {} };
  }, [specs, drafts, stored.data]);

  // The stored values become the drafts once, when both they and the flow's inputs are known.
  useEffect(() => {
    if (loaded || !ready || !stored.data) return;
    setDrafts(draftsFromValues(specs, stored.data.values));
    setLoaded(true);
  }, [loaded, ready, stored.data, specs]);

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    if (!pending.current) return;
    pending.current = false;
    const { specs: s, drafts: d, stored: kept } = latest.current;
    setSave({ kind: 'saving' });
    try {
      const saved = await api.saveInputs(notebookId, valuesToStore(s, d, kept));
      qc.setQueryData(keys.inputs(notebookId), saved);
      setSave({ kind: 'saved' });
    } catch (err) {
      setSave({ kind: 'failed', error: errorMessage(err) });
    }
  }, [notebookId, qc]);

  // A reload right after typing must not lose the last edit: send it as the page goes away.
  useEffect(() => {
    const onHide = () => {
      if (!pending.current) return;
      pending.current = false;
      clearTimeout(timer.current);
      const { specs: s, drafts: d, stored: kept } = latest.current;
      void fetch(`/api/notebooks/${encodeURIComponent(notebookId)}/inputs`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ values: valuesToStore(s, d, kept) }),
        keepalive: true,
      }).catch(() => undefined);
    };
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      clearTimeout(timer.current);
    };
  }, [notebookId]);

  const setInput = useCallback(
    (inputId: string, value: InputDraft) => {
      setDrafts((d) => {
        const next = { ...d, [inputId]: value };
        latest.current = { ...latest.current, drafts: next };
        return next;
      });
      pending.current = true;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    },
    [flush],
  );

  const reset = useCallback(async () => {
    clearTimeout(timer.current);
    pending.current = false;
    setSave({ kind: 'saving' });
    try {
      const cleared = await api.resetInputs(notebookId);
      qc.setQueryData(keys.inputs(notebookId), cleared);
      latest.current = { ...latest.current, drafts: {} };
      setDrafts({});
      setSave({ kind: 'saved' });
    } catch (err) {
      setSave({ kind: 'failed', error: errorMessage(err) });
    }
  }, [notebookId, qc]);

  return {
    drafts,
    setInput,
    reset,
    /** Whether the form shows anything but the YAML defaults. */
    edited: Object.keys(drafts).length > 0 || Object.keys(stored.data?.values ?? {}).length > 0,
    save,
    /** False until the stored values have been read: a run started before would use the defaults. */
    loaded,
  };
}
