/**
 * What a run report shows, read from stored execution data: the YAML the execution ran
 * (its cells, notes and code), its task runs, each task's first log lines and count, and
 * the first rows of each query result (stored results read through `readStored`). The
 * server and the CLI each give their own source; the report is the same.
 */
import type { ExecutionDto, TaskRun } from '../contract';
import { notesBefore, taskText, walkTasks } from '../flow';
import { parseFlow } from '../tasks/catalog';
import { getTaskDefinition } from '../tasks/registry';
import type { ChartSpec } from '../charts/chart';
import { columnsOfRecords, type PreviewColumn } from '../charts/columns';
import { REPORT_GRID_ROWS, REPORT_LOG_LINES, type ReportCell, type ReportGrid, type ReportInput, type ReportLogs } from './report';

export interface ReportSource {
  execution: ExecutionDto;
  taskRuns: TaskRun[];
  /** The YAML the execution ran. */
  flowYaml: string;
  /** A task's first `limit` lines and its line count; `null`: the execution's own lines. */
  logs(taskId: string | null, limit: number): Promise<ReportLogs>;
  /** The first `limit` rows of a stored result (`kestra:///…`). */
  readStored(uri: string, limit: number): Promise<{ columns: PreviewColumn[]; rows: unknown[][]; total?: number }>;
  secrets?: readonly string[];
  /** Charts chosen on the page: task id → result key (`result`, `statement-<n>`) → spec, or null for none. */
  charts?: Record<string, Record<string, ChartSpec | null>>;
}

/** Charts chosen on the page: task id → result key → spec, or null for none. */
export type ReportCharts = Record<string, Record<string, ChartSpec | null>>;

type JsonRecord = Record<string, unknown>;
const isRecord = (v: unknown): v is JsonRecord => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One output object's result, in the shapes Kestra's JDBC tasks give (as the page reads them). */
async function gridOf(output: JsonRecord, label: string, src: ReportSource): Promise<Omit<ReportGrid, 'chart'> | undefined> {
  if (Array.isArray(output.rows) && output.rows.every(isRecord)) {
    const records = output.rows as JsonRecord[];
    const columns = columnsOfRecords(records);
    const rows = records.slice(0, REPORT_GRID_ROWS).map((r) => columns.map((c) => r[c.name]));
    return { label, columns, rows, total: typeof output.size === 'number' ? output.size : records.length };
  }
  if (typeof output.uri === 'string' && output.uri.startsWith('kestra:///')) {
    try {
      const page = await src.readStored(output.uri, REPORT_GRID_ROWS);
      return { label, columns: page.columns, rows: page.rows, total: page.total ?? (typeof output.size === 'number' ? output.size : undefined) };
    } catch {
      // A result file that cannot be read (deleted, not tabular) shows no grid; its uri stays in the outputs.
      return undefined;
    }
  }
  if ('row' in output && isRecord(output.row)) {
    const columns = columnsOfRecords([output.row]);
    return { label, columns, rows: [columns.map((c) => (output.row as JsonRecord)[c.name])], total: 1 };
  }
  return undefined;
}

async function gridsOf(taskId: string, outputs: JsonRecord | undefined, src: ReportSource): Promise<ReportGrid[]> {
  if (!outputs) return [];
  const charts = src.charts?.[taskId] ?? {};
  const withChart = (key: string, g: Omit<ReportGrid, 'chart'>): ReportGrid => (key in charts ? { ...g, chart: charts[key] } : g);
  if (Array.isArray(outputs.outputs) && outputs.outputs.every(isRecord)) {
    const grids: ReportGrid[] = [];
    for (const [i, entry] of (outputs.outputs as JsonRecord[]).entries()) {
      const g = await gridOf(entry, `Result ${i + 1}`, src);
      if (g) grids.push(withChart(`statement-${i + 1}`, g));
    }
    return grids;
  }
  const g = await gridOf(outputs, 'Result', src);
  return g ? [withChart('result', g)] : [];
}

function cellsOf(yaml: string): { title?: string; description?: string; cells: ReportCell[] } {
  const parsed = parseFlow(yaml);
  if (!parsed.flow) return { cells: [] };
  const cells = walkTasks(parsed.flow).map((l): ReportCell => {
    const def = getTaskDefinition(l.task.type);
    const value = def?.editor ? l.task[def.editor.property] : undefined;
    const code = value === undefined || value === null ? taskText(parsed, l.task.id) : Array.isArray(value) ? value.map(String).join('\n') : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    return {
      taskId: l.task.id,
      type: l.task.type,
      title: def?.title ?? 'Task not supported locally',
      explanation: def?.description ?? `Flowbook has no local implementation of ${l.task.type}.`,
      note: notesBefore(parsed, l.task.id),
      code,
      language: def?.editor && value !== undefined ? def.editor.language : 'yaml',
      depth: l.depth,
    };
  });
  const description = typeof parsed.flow.description === 'string' ? parsed.flow.description : undefined;
  return { title: parsed.flow.id, description, cells };
}

export async function gatherReport(src: ReportSource, now = new Date()): Promise<ReportInput> {
  const { title, description, cells } = cellsOf(src.flowYaml);
  const logs: Record<string, ReportLogs> = { '': await src.logs(null, REPORT_LOG_LINES) };
  const grids: Record<string, ReportGrid[]> = {};
  const lastRun = new Map<string, TaskRun>();
  for (const tr of src.taskRuns) lastRun.set(tr.taskId, tr);
  for (const c of cells) {
    logs[c.taskId] = await src.logs(c.taskId, REPORT_LOG_LINES);
    const grid = await gridsOf(c.taskId, lastRun.get(c.taskId)?.outputs, src);
    if (grid.length) grids[c.taskId] = grid;
  }
  return {
    title: title ?? src.execution.flowId,
    description,
    execution: src.execution,
    taskRuns: src.taskRuns,
    cells,
    logs,
    grids,
    secrets: src.secrets,
    generatedAt: now.toISOString(),
  };
}

/** A file name for the report of an execution. */
export function reportFileName(execution: Pick<ExecutionDto, 'flowId' | 'id'>): string {
  return `${execution.flowId}-${execution.id}-report.html`;
}

const KINDS = new Set(['bar', 'line', 'scatter', 'histogram']);
const AGGS = new Set(['sum', 'avg', 'count', 'min', 'max']);

function specOf(v: unknown): ChartSpec | null | undefined {
  if (v === null) return null;
  if (!isRecord(v)) return undefined;
  const { kind, x, y, group, agg } = v;
  if (typeof kind !== 'string' || !KINDS.has(kind) || typeof x !== 'string') return undefined;
  if (!Array.isArray(y) || !y.every((c) => typeof c === 'string')) return undefined;
  return { kind: kind as ChartSpec['kind'], x, y: y as string[], group: typeof group === 'string' ? group : undefined, agg: typeof agg === 'string' && AGGS.has(agg) ? (agg as ChartSpec['agg']) : 'sum' };
}

/**
 * The page's chart choices sent with a download (`?charts=` JSON: task id → result key →
 * spec or null). Anything unreadable counts as not sent: the report then draws defaults.
 */
export function parseReportCharts(text: string | null): Record<string, Record<string, ChartSpec | null>> | undefined {
  if (!text || text.length > 100_000) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  const out: Record<string, Record<string, ChartSpec | null>> = {};
  for (const [taskId, byKey] of Object.entries(raw)) {
    if (!isRecord(byKey)) continue;
    for (const [key, spec] of Object.entries(byKey)) {
      const parsed = specOf(spec);
      if (parsed !== undefined) (out[taskId] ??= {})[key] = parsed;
    }
  }
  return out;
}
