'use client';
/** The stale badge's words, and keeping staleness current when what it depends on changes on the page. */
import { useEffect } from 'react';
import { hashKey, useQueryClient } from '@tanstack/react-query';
import type { RunStaleResponse } from '@/lib/contract/stale-runs';
import { keys } from './queries';

/** The stale badge's words: "stale: generate_output changed since this cell ran". */
export function staleBadgeText(reason: string | undefined): string {
  return reason ? `stale: ${reason}` : 'stale';
}

/** Why "Run stale cells" started nothing. */
export function nothingToRun(answer: Pick<RunStaleResponse, 'skipped'>): string {
  if (answer.skipped.length === 0) return 'no cell is stale';
  return `the stale cells ${answer.skipped.join(', ')} sit in a branch that does not run with the current inputs`;
}

/**
 * Input values saved from the form change which cells are stale (the server compares each
 * cell's run with them): the notebook is read again after each save.
 */
export function useStaleOnInputSave(notebookId: string): void {
  const qc = useQueryClient();
  useEffect(
    () =>
      qc.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated' || event.action.type !== 'success' || !event.action.manual) return;
        if (event.query.queryHash === hashKey(keys.inputs(notebookId))) void qc.invalidateQueries({ queryKey: keys.notebook(notebookId) });
      }),
    [qc, notebookId],
  );
}
