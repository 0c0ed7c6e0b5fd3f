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

export function technologyOf(type: string): Technology | undefined {
  return TECHNOLOGIES.find(([prefix]) => type.startsWith(prefix))?.[1];
}

/** A task property as pluginDefaults resolve it: forced defaults win, then the task, then other defaults. */
export function effectiveProperty(task: RawTask, property: string, defaults: PluginDefault[]): unknown {
  const matching = defaults.filter((d) => task.type === d.type || task.type.startsWith(d.type));
  const forced = matching.find((d) => d.forced && d.values[property] !== undefined);
  if (forced) return forced.values[property];
  if (task[property] !== undefined) return task[property];
  return matching.find((d) => d.values[property] !== undefined)?.values[property];
}

export function stripSqlComments(sql: string): string {
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

/**
 * SQL with string literals blanked (same length), so `'… from x'` inside a string names no
 * table; template expressions stay, also inside literals, since table names are built from them.
 */
function blankStringLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    if (sql.startsWith('{{', i)) {
      const end = sql.indexOf('}}', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (sql[i] === "'") {
      let j = i + 1;
      while (j < sql.length) {
        if (sql.startsWith('{{', j)) {
          const end = sql.indexOf('}}', j + 2);
          j = end < 0 ? sql.length : end + 2;
        } else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      const stop = Math.min(j + 1, sql.length);
      out += "'" + ' '.repeat(Math.max(0, stop - i - 2)) + (stop - i >= 2 ? "'" : '');
      i = stop;
    } else {
      out += sql[i];
      i++;
    }
  }
  return out;
}

/** Functions whose arguments say FROM without naming a table: `EXTRACT(YEAR FROM ts)`. */
const FROM_IN_ARGUMENTS = /\b(?:EXTRACT|SUBSTRING|TRIM|OVERLAY|POSITION)\s*\(/gi;

function blankFunctionArguments(sql: string): string {
  let out = sql;
  for (const m of sql.matchAll(FROM_IN_ARGUMENTS)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    let depth = 0;
    let close = sql.length;
    for (let i = open; i < sql.length; i++) {
      if (sql[i] === '(') depth++;
      else if (sql[i] === ')' && --depth === 0) {
        close = i;
        break;
      }
    }
    out = out.slice(0, open + 1) + ' '.repeat(Math.max(0, close - open - 1)) + out.slice(close);
  }
  return out;
}

/** A whole name not followed by `(`: a name followed by `(` is a function (`read_csv(…)`), not a table. */
const NOT_CALL = String.raw`(?![\w."$]|\{\{)(?!\s*\()`;
const READS: readonly RegExp[] = [
  new RegExp(String.raw`(?<!\bDISTINCT\s+)\bFROM\s+(?:ONLY\s+)?${IDENT}${NOT_CALL}`, 'gi'),
  new RegExp(String.raw`\bJOIN\s+(?:LATERAL\s+)?(?:ONLY\s+)?${IDENT}${NOT_CALL}`, 'gi'),
  new RegExp(String.raw`\bUSING\s+${IDENT}${NOT_CALL}`, 'gi'),
  new RegExp(String.raw`\bMERGE\s+INTO\s+${IDENT}`, 'gi'),
  new RegExp(String.raw`\bUPDATE\s+(?:ONLY\s+)?${IDENT}\s+(?:(?:AS\s+)?\w+\s+)?SET\b`, 'gi'),
  new RegExp(String.raw`\bCOPY\s+${IDENT}\s*(?:\([^)]*\)\s*)?TO\b`, 'gi'),
];
/** After `FROM a [AS] x`: `, b` names another table. */
const CLAUSE_WORDS = 'WHERE|GROUP|ORDER|LIMIT|JOIN|INNER|LEFT|RIGHT|FULL|CROSS|NATURAL|ON|USING|UNION|EXCEPT|INTERSECT|HAVING|WINDOW|RETURNING|SET|WHEN|OFFSET|FETCH|FOR|QUALIFY';
const NEXT_IN_LIST = new RegExp(String.raw`^(?:\s+(?:AS\s+)?(?!(?:${CLAUSE_WORDS})\b)[A-Za-z_]\w*)?\s*,\s*${IDENT}${NOT_CALL}`, 'i');
const CTE_NAMES = [/\bWITH\s+(?:RECURSIVE\s+)?([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s+AS\b/gi, /,\s*([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi];
const NOT_TABLES = new Set(['stdin', 'stdout', 'select', 'lateral', 'values', 'dual']);

/**
 * Tables a SQL text reads (FROM, JOIN, MERGE … USING, UPDATE, DELETE, COPY … TO), in order of
 * appearance, once each: names of common table expressions, table functions (`read_csv(…)`)
 * and strings (`FROM 'file.csv'`) are not tables.
 */
export function tablesRead(sql: string): string[] {
  const text = blankFunctionArguments(blankStringLiterals(stripSqlComments(sql)));
  const ctes = new Set(CTE_NAMES.flatMap((re) => [...text.matchAll(re)].map((m) => m[1].toLowerCase())));
  const found: { table: string; at: number }[] = [];
  const add = (table: string, at: number) => {
    if (!ctes.has(table.toLowerCase()) && !NOT_TABLES.has(table.toLowerCase())) found.push({ table, at });
  };
  for (const re of READS) {
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      add(m[1], at);
      // A comma list after FROM: `FROM a x, b y`.
      if (!/^FROM/i.test(m[0])) continue;
      let rest = text.slice(at + m[0].length);
      let offset = at + m[0].length;
      for (let next = NEXT_IN_LIST.exec(rest); next; next = NEXT_IN_LIST.exec(rest)) {
        add(next[1], offset);
        offset += next[0].length;
        rest = rest.slice(next[0].length);
      }
    }
  }
  return unique(found.sort((a, b) => a.at - b.at).map((f) => f.table));
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export function scriptLines(task: RawTask): string[] {
  const out: string[] = [];
  for (const key of ['commands', 'beforeCommands', 'script']) {
    for (const text of stringsIn(task[key])) out.push(...text.split(/\r?\n/));
  }
  return out;
}

/** Input values by input id, as a run receives them. */
export type InputValues = Readonly<Record<string, unknown>>;

/**
 * The input values a task is read with: one set for every task, or one per task (a cell that
 * ran is read with the values of its last run, the others with the notebook's current ones).
 */
export type InputValuesFor = InputValues | ((taskId: string) => InputValues | undefined);

/** Each input's value for one task: the given value when there is one, else the input's default. */
export function inputValueMap(flow: FlowSpec, values: InputValuesFor | undefined, taskId: string): Map<string, unknown> {
  const given = typeof values === 'function' ? values(taskId) : values;
  return new Map(flow.inputs.map((i) => [i.id, given && given[i.id] !== undefined && given[i.id] !== null ? given[i.id] : i.defaults]));
}

/** A template text with the flow's variables and the task's input values written in. */
export function inlineFor(flow: FlowSpec, values: InputValuesFor | undefined, taskId: string): (text: string) => string {
  const inputs = inputValueMap(flow, values, taskId);
  // Variables first (they may mention inputs), then the inputs' values.
  return (text) => inlineInputDefaults(inlineVars(text, flow.variables), inputs);
}

/** How templates are read for the data trace and the dependency graph. */
export interface ReadOptions {
  /** Input values to read templates with; inputs without one are read at their defaults. */
  inputValues?: InputValuesFor;
  /**
   * Renders a template (an If condition, a Switch value) with one cell's input values, or
   * gives undefined when that cannot be known before a run. Without it every branch counts
   * as taken.
   */
  evaluate?: (template: string, inputValues: InputValues) => unknown;
}

/** Kestra's truthiness for a rendered If condition. */
function truthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (value === null || value === undefined) return false;
  return !['', 'false', '0', '-0', '0.0', 'null'].includes(String(value).trim().toLowerCase());
}

/**
 * Tasks in a branch that does not run with their input values: the `then` of an If whose
 * condition renders false, a Switch case other than its value. Nested tasks of such a task
 * are in it too. A condition that cannot be rendered before the run counts as taken.
 */
export function untakenBranchTasks(flow: FlowSpec, options: ReadOptions = {}): Set<string> {
  const out = new Set<string>();
  const { evaluate } = options;
  if (!evaluate) return out;
  const located = walkTasks(flow);
  const tasks = new Map(located.map((l) => [l.task.id, l.task]));
  const taken = (parent: RawTask, branch: string | undefined, values: InputValues): boolean => {
    if (branch === undefined) return true;
    if (/\.If$/.test(parent.type) && typeof parent.condition === 'string' && (branch === 'then' || branch === 'else')) {
      const result = evaluate(parent.condition, values);
      return result === undefined || truthy(result) === (branch === 'then');
    }
    if (/\.Switch$/.test(parent.type) && typeof parent.value === 'string' && (branch.startsWith('cases.') || branch === 'defaults')) {
      const result = evaluate(parent.value, values);
      if (result === undefined) return true;
      const cases = parent.cases && typeof parent.cases === 'object' ? Object.keys(parent.cases) : [];
      return branch === 'defaults' ? !cases.includes(String(result)) : branch === `cases.${String(result)}`;
    }
    return true;
  };
  for (const { task, parentId, branch } of located) {
    if (parentId === undefined) continue;
    const parent = tasks.get(parentId);
    const values = Object.fromEntries(inputValueMap(flow, options.inputValues, task.id));
    if (out.has(parentId) || (parent && !taken(parent, branch, values))) out.add(task.id);
  }
  return out;
}

/**
 * Where data comes from (downloads, wget/curl, FILE inputs) and goes to (tables by technology).
 * Inputs are read at the given values (the notebook's current values, or a cell's last run's),
 * else at their defaults; tasks in a branch that does not run with those values are left out.
 */
export function dataTrace(flow: FlowSpec, options: ReadOptions = {}): DataTrace {
  const values = options.inputValues;
  const untaken = untakenBranchTasks(flow, options);
  const sources: DataSource[] = [];
  const targets: DataTarget[] = [];
  const fileInputs = flow.inputs.filter((i) => i.type === 'FILE').map((i) => i.id);

  for (const { task } of walkTasks(flow)) {
    if (untaken.has(task.id)) continue;
    const inline = inlineFor(flow, values, task.id);
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
