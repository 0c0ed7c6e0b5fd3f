'use client';
/**
 * Saving one cell's editor text: on blur, on Ctrl+S, or after a pause in typing. A failed
 * save keeps the typed text (the editor stays dirty) and reports the server's error.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PatchCellRequest } from '@/lib/contract';
import { api, errorMessage } from './api';
import { useSetNotebook } from './queries';

const DEBOUNCE_MS = 1500;

export type SaveState = { kind: 'saved' } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'failed'; error: string };

export function useCellSave(notebookId: string, taskId: string, serverText: string, field: 'code' | 'source') {
  const setNotebook = useSetNotebook();
  const [state, setState] = useState<SaveState>({ kind: 'saved' });
  const text = useRef(serverText);
  const saved = useRef(serverText);
  const inflight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Text from the server becomes the baseline unless the user has edits of their own.
  useEffect(() => {
    if (text.current === saved.current) text.current = serverText;
    saved.current = serverText;
    if (text.current === serverText) setState({ kind: 'saved' });
  }, [serverText]);

  const save = useCallback(async (): Promise<boolean> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (inflight.current) await inflight.current;
    const toSave = text.current;
    if (toSave === saved.current) return true;
    const body: PatchCellRequest = field === 'code' ? { code: toSave } : { source: toSave };
    setState({ kind: 'saving' });
    const p = api
      .patchCell(notebookId, taskId, body)
      .then((nb) => {
        saved.current = toSave;
        setNotebook(nb);
        setState(text.current === toSave ? { kind: 'saved' } : { kind: 'dirty' });
        return true;
      })
      .catch((err: unknown) => {
        setState({ kind: 'failed', error: errorMessage(err) });
        return false;
      })
      .finally(() => {
        inflight.current = null;
      });
    inflight.current = p;
    return p;
  }, [notebookId, taskId, field, setNotebook]);

  const change = useCallback(
    (next: string) => {
      text.current = next;
      if (next === saved.current) {
        setState({ kind: 'saved' });
        return;
      }
      setState((s) => (s.kind === 'failed' ? s : { kind: 'dirty' }));
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), DEBOUNCE_MS);
    },
    [save],
  );

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const isDirty = useCallback(() => text.current !== saved.current, []);

  return { state, change, save, isDirty };
}
