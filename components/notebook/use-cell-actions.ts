'use client';
/** What a cell card can ask of the page, stable across renders so memoized cards stay put. */
import { useMemo } from 'react';
import { api } from '@/lib/client/api';
import { useQueryClient } from '@tanstack/react-query';
import { keys, useSetNotebook } from '@/lib/client/queries';
import { saveNote } from '@/lib/client/note-save';
import type { NotebookDto } from '@/lib/contract';
import type { NotebookRun } from '@/lib/client/use-notebook-run';
import type { CellActions } from './types';
import type { CellFocus } from './use-cell-focus';

export function useCellActions(notebookId: string, run: NotebookRun['run'], stop: NotebookRun['stop'], focus: CellFocus): CellActions {
  const setNotebook = useSetNotebook();
  const qc = useQueryClient();
  const { focusNext, focusPrev } = focus;
  return useMemo(
    () => ({
      run: (mode, taskId) => run(mode, taskId),
      stop,
      focusNext,
      focusPrev,
      saveNote: (taskId, note) =>
        saveNote(
          {
            known: () => qc.getQueryData<NotebookDto>(keys.notebook(notebookId)),
            get: () => api.getNotebook(notebookId),
            patch: (body) => api.patchCell(notebookId, taskId, body),
            apply: setNotebook,
          },
          taskId,
          note,
        ),
      deleteCell: async (taskId) => {
        setNotebook(await api.deleteCell(notebookId, taskId));
      },
    }),
    [run, stop, focusNext, focusPrev, setNotebook, notebookId, qc],
  );
}
