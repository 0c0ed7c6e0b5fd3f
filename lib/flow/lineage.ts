/**
 * Lineage: which outputs a task uses, where the flow's data comes from and goes to, and the
 * task graph (order and data edges). Read from the YAML alone; nothing runs.
 */
import { childPropertyNames } from './children';
import { inlineInputDefaults, inlineVars, outputRefsIn, renderedVarsIn, stringsIn, templateBlocks, type OutputRef } from './template-refs';
import type { FlowSpec, PluginDefault, RawTask } from './types';
import { walkTasks } from './walk';

export type { OutputRef };

/**
 * `outputs.<id>…` references in a task's properties (not in its child tasks), including those
 * reached through `render(vars.x)` when the flow's variables are given.
 */
export function outputReferences(task: RawTask, variables: Record<string, unknown> = {}): OutputRef[] {
  const refs: OutputRef[] = [];
  const seen = new Set<string>();
  const renderedVars = new Set<string>();
  const scan = (texts: string[]): void => {
    for (const text of texts) {
      for (const block of templateBlocks(text)) {
        for (const ref of outputRefsIn(block)) {
          const key = `${ref.taskId}\u0000${ref.path}`;
          if (!seen.has(key)) {
            seen.add(key);
            refs.push(ref);
          }
        }
        for (const name of renderedVarsIn(block)) {
          if (renderedVars.has(name) || !(name in variables)) continue;
          renderedVars.add(name);
          scan(stringsIn(variables[name]));
        }
      }
    }
  };
  scan(stringsIn(task, childPropertyNames(task)));
  return refs;
}

export interface DataSource {
  taskId: string;
  kind: 'http' | 'shell' | 'file';
  url: string;
}

export type Technology = 'PostgreSQL' | 'DuckDB' | 'MySQL' | 'SQLite' | 'Snowflake' | 'ClickHouse' | 'BigQuery' | 'Google Cloud Storage';

export interface DataTarget {
  taskId: string;
  technology: Technology;
  /** The JDBC URL (from the task or the flow's pluginDefaults), variables inlined. */
  connection?: string;
  /** Tables written, in order of appearance, variables inlined. */
  tables: string[];
  /** What the task does to them: `CREATE TABLE, MERGE`. */
  operation?: string;
}

export interface DataTrace {
  sources: DataSource[];
  targets: DataTarget[];
}

const TECHNOLOGIES: readonly [string, Technology][] = [
  ['io.kestra.plugin.jdbc.postgresql.', 'PostgreSQL'],
  ['io.kestra.plugin.jdbc.duckdb.', 'DuckDB'],
  ['io.kestra.plugin.jdbc.mysql.', 'MySQL'],
  ['io.kestra.plugin.jdbc.sqlite.', 'SQLite'],
  ['io.kestra.plugin.jdbc.snowflake.', 'Snowflake'],
  ['io.kestra.plugin.jdbc.clickhouse.', 'ClickHouse'],
  ['io.kestra.plugin.gcp.bigquery.', 'BigQuery'],
  ['io.kestra.plugin.gcp.gcs.', 'Google Cloud Storage'],
];

const DOWNLOAD_TYPES = /\.(http\.(Download|Request)|storages?\.Downloads?|flows?\.Download)$/;

/** A URL in a shell line, template expressions allowed inside it. */
const URL_IN_TEXT = /https?:\/\/(?:\{\{[\s\S]*?\}\}|[^\s'"|>;)<`])+/g;

/** SQL statements that write to a table, and the name they write. */
const IDENT = String.raw`((?:\{\{[\s\S]*?\}\}|[\w."$])+)`;
const WRITES: readonly [RegExp, string][] = [
  [new RegExp(String.raw`\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${IDENT}`, 'gi'), 'CREATE TABLE'],
  [new RegExp(String.raw`\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+${IDENT}`, 'gi'), 'INSERT'],
  [new RegExp(String.raw`\bMERGE\s+INTO\s+${IDENT}`, 'gi'), 'MERGE'],
  [new RegExp(String.raw`\bCOPY\s+${IDENT}\s*(?:\([^)]*\)\s*)?FROM\b`, 'gi'), 'COPY'],
  [new RegExp(String.raw`\bUPDATE\s+${IDENT}\s+SET\b`, 'gi'), 'UPDATE'],
  [new RegExp(String.raw`\bTRUNCATE\s+(?:TABLE\s+)?${IDENT}`, 'gi'), 'TRUNCATE'],
  [new RegExp(String.raw`\bDELETE\s+FROM\s+${IDENT}`, 'gi'), 'DELETE'],
];

function technologyOf(type: string): Technology | undefined {
  return TECHNOLOGIES.find(([prefix]) => type.startsWith(prefix))?.[1];
}

/** A task property as pluginDefaults resolve it: forced defaults win, then the task, then other defaults. */
function effectiveProperty(task: RawTask, property: string, defaults: PluginDefault[]): unknown {
  const matching = defaults.filter((d) => task.type === d.type || task.type.startsWith(d.type));
  const forced = matching.find((d) => d.forced && d.values[property] !== undefined);
  if (forced) return forced.values[property];
  if (task[property] !== undefined) return task[property];
  return matching.find((d) => d.values[property] !== undefined)?.values[property];
}

function stripSqlComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

/** Tables a SQL text writes, with the operations, in order of appearance. */
export function tablesWritten(sql: string): { table: string; operation: string }[] {
  const found: { table: string; operation: string; at: number }[] = [];
  const text = stripSqlComments(sql);
  for (const [re, operation] of WRITES) {
    for (const m of text.matchAll(re)) found.push({ table: m[1], operation, at: m.index ?? 0 });
  }
  return found.sort((a, b) => a.at - b.at).map(({ table, operation }) => ({ table, operation }));
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function scriptLines(task: RawTask): string[] {
  const out: string[] = [];
  for (const key of ['commands', 'beforeCommands', 'script']) {
    for (const text of stringsIn(task[key])) out.push(...text.split(/\r?\n/));
  }
  return out;
}

/** Where data comes from (downloads, wget/curl, FILE inputs) and goes to (tables by technology). */
export function dataTrace(flow: FlowSpec): DataTrace {
  const vars = flow.variables;
  const defaults = new Map(flow.inputs.map((i) => [i.id, i.defaults]));
  // Variables first (they may mention inputs), then the inputs' defaults.
  const inline = (text: string) => inlineInputDefaults(inlineVars(text, vars), defaults);
  const sources: DataSource[] = [];
  const targets: DataTarget[] = [];
  const fileInputs = flow.inputs.filter((i) => i.type === 'FILE').map((i) => i.id);

  for (const { task } of walkTasks(flow)) {
    if (DOWNLOAD_TYPES.test(task.type) && typeof task.uri === 'string') {
      sources.push({ taskId: task.id, kind: 'http', url: inline(task.uri) });
    }
    for (const line of scriptLines(task)) {
      if (!/\b(wget|curl)\b/.test(line)) continue;
      // Inline first: the URL may start with an input, e.g. `wget {{inputs.source_url}}/…`.
      for (const m of inline(line).matchAll(URL_IN_TEXT)) sources.push({ taskId: task.id, kind: 'shell', url: m[0] });
    }
    const own = stringsIn(task, childPropertyNames(task)).flatMap(templateBlocks);
    for (const input of fileInputs) {
      if (own.some((block) => new RegExp(String.raw`\binputs\.${input}\b`).test(block))) {
        sources.push({ taskId: task.id, kind: 'file', url: `{{inputs.${input}}}` });
      }
    }

    const technology = technologyOf(task.type);
    if (!technology) continue;
    const writes: { table: string; operation: string }[] = [];
    for (const key of ['sql', 'sqls', 'query']) for (const sql of stringsIn(task[key])) writes.push(...tablesWritten(sql));
    if (/\.CopyIn$/.test(task.type) && typeof task.table === 'string') writes.push({ table: task.table, operation: 'COPY' });
    for (const key of ['destinationTable', 'to']) {
      if (typeof task[key] === 'string') writes.push({ table: String(task[key]), operation: 'WRITE' });
    }
    if (writes.length === 0) continue;
    const target: DataTarget = {
      taskId: task.id,
      technology,
      tables: unique(writes.map((w) => inline(w.table))),
      operation: unique(writes.map((w) => w.operation)).join(', '),
    };
    const url = effectiveProperty(task, 'url', flow.pluginDefaults);
    if (typeof url === 'string') target.connection = inline(url);
    targets.push(target);
  }
  return { sources, targets };
}

export interface GraphNode {
  id: string;
  type: string;
  parentId?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: 'order' | 'data';
}

/** Tasks as nodes; `order` edges between siblings and from a flowable to each branch's first task; `data` edges from a task to the tasks using its outputs. */
export function dependencyGraph(flow: FlowSpec): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const located = walkTasks(flow);
  const nodes: GraphNode[] = located.map(({ task, parentId }) => (parentId === undefined ? { id: task.id, type: task.type } : { id: task.id, type: task.type, parentId }));
  const ids = new Set(nodes.map((n) => n.id));
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const add = (edge: GraphEdge): void => {
    const key = `${edge.kind}\u0000${edge.from}\u0000${edge.to}`;
    if (edge.from === edge.to || seen.has(key)) return;
    seen.add(key);
    edges.push(edge);
  };

  const lastInList = new Map<string, string>();
  for (const { task, path, parentId } of located) {
    const list = path.slice(0, -1).join('\u0000');
    const previous = lastInList.get(list);
    if (previous !== undefined) add({ from: previous, to: task.id, kind: 'order' });
    else if (parentId !== undefined) add({ from: parentId, to: task.id, kind: 'order' });
    lastInList.set(list, task.id);
  }
  for (const { task } of located) {
    for (const ref of outputReferences(task, flow.variables)) {
      if (ids.has(ref.taskId)) add({ from: ref.taskId, to: task.id, kind: 'data' });
    }
  }
  return { nodes, edges };
}
