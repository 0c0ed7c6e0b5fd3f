'use client';
/** The chart of one result, remembered per notebook and cell in localStorage (lib/client/chart-store). */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { chartStore, chartStorageKey, type ResultChart } from '@/lib/client/chart-store';

/** Where a result lives; without one (a file preview) the chart is not remembered. */
export interface ChartPlace {
  notebookId: string;
  taskId: string;
  resultKey: string;
}

const CLOSED: ResultChart = { open: false };
const subscribe = (listener: () => void) => chartStore.subscribe(listener);

export function useResultChart(place: ChartPlace | undefined): [ResultChart, (chart: ResultChart) => void] {
  const [local, setLocal] = useState<ResultChart>(CLOSED);
  const remembered = useSyncExternalStore(
    subscribe,
    () => (place ? chartStore.get(place.notebookId, place.taskId)[place.resultKey] : undefined),
    () => undefined,
  );

  // Another tab of the same notebook changed a chart: read it again.
  const storageKey = place ? chartStorageKey(place.notebookId, place.taskId) : undefined;
  useEffect(() => {
    if (!storageKey) return;
    const onStorage = (e: StorageEvent) => {
      if (e.key === storageKey) chartStore.refresh();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [storageKey]);

  const notebookId = place?.notebookId;
  const taskId = place?.taskId;
  const resultKey = place?.resultKey;
  const set = useCallback(
    (chart: ResultChart) => {
      if (notebookId !== undefined && taskId !== undefined && resultKey !== undefined) chartStore.set(notebookId, taskId, resultKey, chart);
      else setLocal(chart);
    },
    [notebookId, taskId, resultKey],
  );
  return [place ? (remembered ?? CLOSED) : local, set];
}
