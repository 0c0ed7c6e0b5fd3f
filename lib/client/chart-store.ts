/**
 * The chart a cell's result shows, remembered in the browser's localStorage per notebook
 * and cell (the server keeps no per-cell view settings). One entry per cell holds every
 * result of the cell (a `Queries` task has one per statement).
 */
import { AGGREGATES, CHART_KINDS, type Aggregate, type ChartKind, type ChartSpec } from './chart';

export interface ResultChart {
  /** The chart is shown above the grid. */
  open: boolean;
  spec?: ChartSpec;
}

export type CellCharts = Record<string, ResultChart>;

export function chartStorageKey(notebookId: string, taskId: string): string {
  return `flowbook:charts:${notebookId}:${taskId}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseSpec(v: unknown): ChartSpec | undefined {
  if (!isRecord(v)) return undefined;
  const { kind, x, y, group, agg } = v;
  if (typeof kind !== 'string' || !(CHART_KINDS as readonly string[]).includes(kind)) return undefined;
  if (typeof x !== 'string') return undefined;
  if (!Array.isArray(y) || !y.every((c) => typeof c === 'string')) return undefined;
  const aggregate = typeof agg === 'string' && (AGGREGATES as readonly string[]).includes(agg) ? (agg as Aggregate) : 'sum';
  return { kind: kind as ChartKind, x, y: [...(y as string[])], group: typeof group === 'string' ? group : undefined, agg: aggregate };
}

/** What localStorage holds for a cell; anything unreadable counts as nothing remembered. */
export function parseCellCharts(text: string | null): CellCharts {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(raw)) return {};
  const out: CellCharts = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isRecord(value)) continue;
    out[key] = { open: value.open === true, spec: parseSpec(value.spec) };
  }
  return out;
}

/** The part of Storage the store uses, so tests can hand in a map. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * Reads and writes cells' charts, handing out the same object until it changes (what
 * React's useSyncExternalStore needs) and telling subscribers of every write.
 */
export class ChartStore {
  private readonly cache = new Map<string, CellCharts>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: () => KeyValueStorage | undefined) {}

  get(notebookId: string, taskId: string): CellCharts {
    const key = chartStorageKey(notebookId, taskId);
    let value = this.cache.get(key);
    if (!value) {
      let text: string | null = null;
      try {
        text = this.storage()?.getItem(key) ?? null;
      } catch {
        // Storage can be switched off (private windows); charts are then not remembered.
      }
      value = parseCellCharts(text);
      this.cache.set(key, value);
    }
    return value;
  }

  set(notebookId: string, taskId: string, resultKey: string, chart: ResultChart): void {
    const key = chartStorageKey(notebookId, taskId);
    const next: CellCharts = { ...this.get(notebookId, taskId), [resultKey]: chart };
    this.cache.set(key, next);
    try {
      this.storage()?.setItem(key, JSON.stringify(next));
    } catch {
      // Full or disabled storage: the choice still holds until the page is reloaded.
    }
    for (const l of this.listeners) l();
  }

  /** Forgets cached values (another tab wrote), then tells subscribers. */
  refresh(): void {
    this.cache.clear();
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The page's store, over window.localStorage. */
export const chartStore = new ChartStore(() => (typeof window === 'undefined' ? undefined : window.localStorage));
