/**
 * The run report's download link. The charts chosen on the page live in this browser
 * (chart-store), so the link carries them: a result whose chart is open sends its spec, a
 * result whose chart was closed sends null (no chart); a result never charted sends
 * nothing and the report draws its default chart.
 */
import type { ChartSpec } from './chart';
import { chartStore, type ChartStore } from './chart-store';

export function reportCharts(store: Pick<ChartStore, 'get'>, notebookId: string, taskIds: readonly string[]): Record<string, Record<string, ChartSpec | null>> {
  const out: Record<string, Record<string, ChartSpec | null>> = {};
  for (const taskId of taskIds) {
    for (const [key, chart] of Object.entries(store.get(notebookId, taskId))) {
      if (!chart.open) (out[taskId] ??= {})[key] = null;
      else if (chart.spec) (out[taskId] ??= {})[key] = chart.spec;
    }
  }
  return out;
}

export function reportUrl(executionId: string, notebookId?: string, taskIds: readonly string[] = [], store: Pick<ChartStore, 'get'> = chartStore): string {
  const base = `/api/executions/${encodeURIComponent(executionId)}/report`;
  const charts = notebookId ? reportCharts(store, notebookId, taskIds) : {};
  return Object.keys(charts).length ? `${base}?charts=${encodeURIComponent(JSON.stringify(charts))}` : base;
}
