'use client';
/**
 * Saving one cell's editor text: on blur, on Ctrl+S, or after a pause in typing. A failed
 * save keeps the typed text (the editor stays dirty) and reports the server's error.
 *
 * Each save carries the notebook version the user's text was based on, so a save made
 * after someone else changed the notebook is refused (409) instead of silently replacing
 * their work. When only other cells changed, the save is made again on the current
 * version by itself; when this cell changed, the state is `conflict` and the user picks:
 * `reload` (take the saved text) or `keepMine` (save their text over it).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { NotebookDto, PatchCellRequest } from '@/lib/contract';
import { api, ApiClientError, errorMessage } from './api';
import { keys, useSetNotebook } from './queries';

const DEBOUNCE_MS = 1500;

export type SaveState = { kind: 'saved' } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'failed'; error: string } | { kind: 'conflict'; error: string };

const CONFLICT = 'This cell was changed elsewhere (another tab or person) since you started editing it. Reload it, or keep your text and save it over theirs.';

export function useCellSave(notebookId: string, taskId: string, serverText: string, field: 'code' | 'source') {
  const qc = useQueryClient();
  const setNotebook = useSetNotebook();
  const [state, setState] = useState<SaveState>({ kind: 'saved' });
  const text = useRef(serverText);
  /** The cell's text the user's edits started from: what the server had as far as this page knows. */
  const saved = useRef(serverText);
  const inConflict = useRef(false);
  const inflight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const textOf = useCallback(
    (nb: NotebookDto): string | undefined => {
      const cell = nb.cells.find((c) => c.taskId === taskId);
      return cell && (field === 'code' ? cell.editor?.code : cell.source);
    },
    [taskId, field],
  );

  const enterConflict = useCallback(() => {
    inConflict.current = true;
    setState({ kind: 'conflict', error: CONFLICT });
  }, []);

  // Text from the server becomes the baseline unless the user has edits of their own; a
  // change to this cell while they edit is a conflict, never silently their new baseline.
  useEffect(() => {
    if (serverText === saved.current) return;
    if (text.current === saved.current || text.current === serverText) {
      text.current = serverText;
      saved.current = serverText;
      inConflict.current = false;
      setState({ kind: 'saved' });
    } else {
      enterConflict();
    }
  }, [serverText, enterConflict]);

  /** The notebook as the server has it now, written into the page's cache. */
  const fetchLatest = useCallback(async (): Promise<NotebookDto> => {
    const nb = await api.getNotebook(notebookId);
    setNotebook(nb);
    return nb;
  }, [notebookId, setNotebook]);

  const save = useCallback(async (): Promise<boolean> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (inflight.current) await inflight.current;
    const toSave = text.current;
    if (toSave === saved.current) return true;
    if (inConflict.current) return false;
    setState({ kind: 'saving' });
    const attempt = async (): Promise<boolean> => {
      for (let tries = 0; ; tries++) {
        const known = qc.getQueryData<NotebookDto>(keys.notebook(notebookId)) ?? (await fetchLatest());
        if (textOf(known) !== saved.current) {
          enterConflict();
          return false;
        }
        const body: PatchCellRequest = field === 'code' ? { code: toSave, version: known.version } : { source: toSave, version: known.version };
        try {
          const nb = await api.patchCell(notebookId, taskId, body);
          // The server's text (it may reformat YAML) is the new baseline, and the editor's text if unchanged since.
          const stored = textOf(nb) ?? toSave;
          if (text.current === toSave) text.current = stored;
          saved.current = stored;
          setNotebook(nb);
          setState(text.current === stored ? { kind: 'saved' } : { kind: 'dirty' });
          return true;
        } catch (err) {
          // Saved elsewhere meanwhile: with this cell untouched there, save again on the current version.
          if (!(err instanceof ApiClientError && err.status === 409) || tries >= 2) throw err;
          await fetchLatest();
        }
      }
    };
    const p = attempt()
      .catch((err: unknown) => {
        setState({ kind: 'failed', error: errorMessage(err) });
        return false;
      })
      .finally(() => {
        inflight.current = null;
      });
    inflight.current = p;
    return p;
  }, [qc, notebookId, taskId, field, setNotebook, textOf, fetchLatest, enterConflict]);

  const change = useCallback(
    (next: string) => {
      text.current = next;
      // A conflict stays until the user picks Reload or Keep mine; nothing is saved meanwhile.
      if (inConflict.current) return;
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

  /** Drops the user's text for the cell's saved text, which it returns for the editor. */
  const reload = useCallback(async (): Promise<string | undefined> => {
    let nb: NotebookDto;
    try {
      nb = await fetchLatest();
    } catch (err) {
      setState({ kind: 'failed', error: errorMessage(err) });
      return undefined;
    }
    const latest = textOf(nb) ?? saved.current;
    text.current = latest;
    saved.current = latest;
    inConflict.current = false;
    setState({ kind: 'saved' });
    return latest;
  }, [fetchLatest, textOf]);

  /** Saves the user's text over what was saved in between, on the notebook's current version. */
  const keepMine = useCallback(async (): Promise<boolean> => {
    try {
      const nb = await api.getNotebook(notebookId);
      // Their text becomes the baseline first, so the cache update below is not a new conflict.
      saved.current = textOf(nb) ?? saved.current;
      inConflict.current = false;
      setNotebook(nb);
    } catch (err) {
      setState({ kind: 'failed', error: errorMessage(err) });
      return false;
    }
    if (text.current === saved.current) {
      setState({ kind: 'saved' });
      return true;
    }
    return save();
  }, [notebookId, textOf, setNotebook, save]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const isDirty = useCallback(() => text.current !== saved.current, []);

  return { state, change, save, isDirty, reload, keepMine };
}
