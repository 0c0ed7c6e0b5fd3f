/**
 * What each cell of a notebook depends on, read from the YAML alone: the outputs it uses
 * (`outputs.<id>`, also through `render(vars.x)`), the inputs, variables and pluginDefaults it
 * reads, and the tables and KV keys it reads and writes (the data trace's tables, with the
 * input values the cell is read with). Staleness follows this graph, not the cells' order.
 *
 * A cell whose effects cannot be read from the YAML (a script, another flow, a table named
 * only when the task runs) is "opaque": order stands in for what cannot be seen. It depends
 * on every earlier cell that writes something, and every later cell that reads a table
 * depends on it.
 */
import { childPropertyNames } from './children';
import { effectiveProperty, inlineFor, outputReferences, tablesRead, tablesWritten, technologyOf, untakenBranchTasks, type ReadOptions, type Technology } from './lineage';
import { stringsIn, templateBlocks } from './template-refs';
import type { FlowSpec, PluginDefault, RawTask } from './types';
import { isRecord, walkTasks } from './walk';

/** A table, file or KV key, as one cell names it. */
export interface ResourceRef {
  /** What two cells must agree on to mean the same thing: technology, connection and normalised name. */
  key: string;
  /** The name as the cell writes it, variables and input values written in: `public.green_tripdata`. */
  name: string;
}

export interface CellDependencies {
  taskId: string;
  /** Position in document order. */
  index: number;
  /** Enclosing flowable cells, closest first. */
  ancestorIds: string[];
  /** Cells whose outputs this cell's own properties use. */
  outputsOf: string[];
  /** Inputs it reads: directly, through variables it renders, or through pluginDefaults that apply to it. */
  inputs: string[];
  /** Variables it reads, and the variables those render in turn. */
  variables: string[];
  /** The `type` of each pluginDefaults entry that applies to it (to the task or a nested `taskRunner`). */
  pluginDefaults: string[];
  reads: ResourceRef[];
  writes: ResourceRef[];
  /** Why Flowbook cannot tell what this cell reads or writes; absent when it can. */
  opaque?: string;
}

/** Why a cell depends on another. */
export type DependencyVia =
  | { kind: 'outputs' }
  /** The upstream writes `name`; this cell reads it (`reads`) or writes it too. */
  | { kind: 'resource'; name: string; reads: boolean }
  /** This cell is opaque: an earlier cell that writes something may have changed what it reads. */
  | { kind: 'order-self' }
  /** The upstream is opaque and may have written what this cell reads. */
  | { kind: 'order-upstream' };

export interface DependencyEdge {
  from: string;
  to: string;
  via: DependencyVia;
}

export interface DependencyGraph {
  /** Every cell, in document order. */
  cells: CellDependencies[];
  /** One edge per pair of cells (the most telling reason), ordered by downstream then upstream cell. */
  edges: DependencyEdge[];
}

/**
 * `inputValues`: the values a cell's table names and keys are read with (its last run's, or
 * the notebook's current ones). A cell in a branch that does not run with its values
 * (see `evaluate`) reads and writes nothing.
 */
export type DependencyOptions = ReadOptions;

const NAME = String.raw`(?:\.([A-Za-z_]\w*)|\[\s*(['"])([^'"]+)\2\s*\])`;
const INPUT_REF = new RegExp(String.raw`(?<![\w.])inputs${NAME}`, 'g');
const VAR_REF = new RegExp(String.raw`(?<![\w.])vars${NAME}`, 'g');
const RENDERED_VAR = new RegExp(String.raw`\brender(?:Once)?\(\s*vars${NAME}`, 'g');
const KV_CALL = /\bkv\(\s*(['"])([^'"]+)\1(?:\s*,\s*(['"])([^'"]+)\3)?/g;

function names(block: string, re: RegExp): string[] {
  return [...block.matchAll(re)].map((m) => m[1] ?? m[3]);
}

/**
 * Inputs and variables read by some template texts. Variables reached through `render()` are
 * rendered in the task, recursively (Kestra's default), so what they mention is read too; a
 * variable read without `render()` is read as its text.
 */
function flowReads(flow: FlowSpec, texts: readonly string[]): { inputs: string[]; variables: string[] } {
  const inputs = new Set<string>();
  const variables = new Set<string>();
  const rendered = new Set<string>();
  const scan = (strings: readonly string[], insideRender: boolean): void => {
    for (const text of strings) {
      for (const block of templateBlocks(text)) {
        names(block, INPUT_REF).forEach((n) => inputs.add(n));
        const vars = names(block, VAR_REF);
        vars.forEach((n) => variables.add(n));
        for (const name of insideRender ? vars : names(block, RENDERED_VAR)) {
          if (rendered.has(name) || !(name in flow.variables)) continue;
          rendered.add(name);
          scan(stringsIn(flow.variables[name]), true);
        }
      }
    }
  };
  scan(texts, false);
  return { inputs: [...inputs], variables: [...variables] };
}

/** Types of the task and of its nested maps (a `taskRunner`), child tasks excluded. */
function typesIn(task: RawTask): string[] {
  const out: string[] = [];
  const skip = childPropertyNames(task);
  const visit = (value: unknown, top: boolean): void => {
    if (Array.isArray(value)) value.forEach((v) => visit(v, false));
    else if (isRecord(value)) {
      if (typeof value.type === 'string') out.push(value.type);
      for (const [key, v] of Object.entries(value)) if (!(top && skip.has(key))) visit(v, false);
    }
  };
  visit(task, true);
  return out;
}

/** pluginDefaults entries that apply to the task or a map nested in it, as Kestra matches them (type or prefix). */
export function applicableDefaults(task: RawTask, defaults: readonly PluginDefault[]): PluginDefault[] {
  const types = typesIn(task);
  return defaults.filter((d) => types.some((t) => t === d.type || t.startsWith(d.type)));
}

const SCRIPT_TYPES = /^io\.kestra\.(?:plugin\.scripts|core\.tasks\.scripts)\./;
const SUBFLOW_TYPES = /\.flows?\.(?:Subflow|Flow)$/;
const NAMESPACE_FILES = /\.core\.namespace\./;
const HTTP_REQUEST = /\.http\.Request$/;
const KV_TYPES = /\.kv\.(Set|Get|GetKeys|Delete)$/;
/** Kestra's core plugins: apart from the cases above, they touch nothing another cell reads. */
const CORE_TYPES = /^io\.kestra\.(?:plugin\.core|core\.tasks)\./;

/** Why the task's effects cannot be read from its YAML, or undefined when they can. */
function opaqueByType(task: RawTask): string | undefined {
  if (SCRIPT_TYPES.test(task.type)) return 'it runs a script';
  if (SUBFLOW_TYPES.test(task.type)) return 'it starts another flow';
  if (NAMESPACE_FILES.test(task.type)) return 'it reads or writes namespace files';
  if (HTTP_REQUEST.test(task.type)) {
    const method = typeof task.method === 'string' ? task.method.toUpperCase() : 'GET';
    return method === 'GET' || method === 'HEAD' ? undefined : `it sends an HTTP ${method} request`;
  }
  if (CORE_TYPES.test(task.type) || technologyOf(task.type)) return undefined;
  return `Flowbook cannot tell what ${task.type} reads or writes`;
}

/**
 * Whether tables written through this connection outlive the task. DuckDB and SQLite keep a
 * database per task unless the URL names a file by absolute path; servers are shared.
 */
function sharedConnection(technology: Technology, url: string | undefined): boolean {
  if (technology !== 'DuckDB' && technology !== 'SQLite') return true;
  const target = (url ?? '').replace(/^jdbc:(?:duckdb|sqlite):/i, '').split('?')[0].trim();
  return /^(?:\/|[A-Za-z]:[\\/]|~)/.test(target);
}

/** Blocks left after inlining that only name inputs: the same text means the same table in every cell run with the same inputs. */
function onlyInputsLeft(text: string): boolean {
  return templateBlocks(text).every((b) => /^\s*inputs\.[A-Za-z_][\w-]*\s*$/.test(b));
}

function normalisedTable(name: string, technology: Technology): string {
  const plain = name.replace(/"/g, '').toLowerCase();
  return technology === 'PostgreSQL' && !plain.includes('.') && !plain.includes('{{') ? `public.${plain}` : plain;
}

interface Effects {
  reads: ResourceRef[];
  writes: ResourceRef[];
  opaque?: string;
}

function addRef(list: ResourceRef[], ref: ResourceRef): void {
  if (!list.some((r) => r.key === ref.key)) list.push(ref);
}

/** Tables and KV keys the task reads and writes, read with its input values. */
function effectsOf(task: RawTask, flow: FlowSpec, inline: (text: string) => string): Effects {
  const effects: Effects = { reads: [], writes: [], opaque: opaqueByType(task) };
  const name = (raw: string): string | undefined => {
    const text = inline(raw).trim();
    if (!text.includes('{{') || onlyInputsLeft(text)) return text;
    effects.opaque ??= `it names ${text} only when it runs`;
    return undefined;
  };

  const technology = technologyOf(task.type);
  if (technology) {
    const rawUrl = effectiveProperty(task, 'url', flow.pluginDefaults);
    const url = typeof rawUrl === 'string' ? inline(rawUrl).trim() : undefined;
    if (sharedConnection(technology, url)) {
      const ref = (table: string): ResourceRef | undefined => {
        const n = name(table);
        return n === undefined ? undefined : { key: `${technology}|${url ?? ''}|${normalisedTable(n, technology)}`, name: n };
      };
      for (const key of ['sql', 'sqls', 'query']) {
        for (const sql of stringsIn(task[key])) {
          for (const t of tablesRead(sql)) {
            const r = ref(t);
            if (r) addRef(effects.reads, r);
          }
          for (const w of tablesWritten(sql)) {
            const r = ref(w.table);
            if (r) addRef(effects.writes, r);
          }
        }
      }
      const written = [/\.CopyIn$/.test(task.type) ? task.table : undefined, task.destinationTable, task.to];
      for (const t of written) {
        const r = typeof t === 'string' ? ref(t) : undefined;
        if (r) addRef(effects.writes, r);
      }
      // A storage object read by path (gs://…); files passed between cells go through outputs instead.
      if (typeof task.from === 'string' && !/\boutputs\b/.test(task.from) && technology === 'Google Cloud Storage') {
        const r = ref(task.from);
        if (r) addRef(effects.reads, r);
      }
    }
  }

  const namespace = typeof task.namespace === 'string' ? task.namespace : flow.namespace;
  const kv = KV_TYPES.exec(task.type);
  if (kv && typeof task.key === 'string') {
    const key = name(task.key);
    if (key !== undefined) addRef(kv[1] === 'Get' || kv[1] === 'GetKeys' ? effects.reads : effects.writes, { key: `kv|${namespace}|${key}`, name: `KV ${key}` });
  }
  for (const block of stringsIn(task, childPropertyNames(task)).flatMap(templateBlocks)) {
    for (const m of block.matchAll(KV_CALL)) addRef(effects.reads, { key: `kv|${m[4] ?? flow.namespace}|${m[2]}`, name: `KV ${m[2]}` });
  }
  return effects;
}

const VIA_RANK: Record<DependencyVia['kind'], number> = { outputs: 0, resource: 1, 'order-self': 3, 'order-upstream': 4 };

function rank(via: DependencyVia): number {
  return via.kind === 'resource' && !via.reads ? 2 : VIA_RANK[via.kind];
}

/** The notebook's dependency graph: one node per cell, one edge per pair of dependent cells. */
export function notebookDependencies(flow: FlowSpec, options: DependencyOptions = {}): DependencyGraph {
  const located = walkTasks(flow);
  const parents = new Map(located.map((l) => [l.task.id, l.parentId]));
  const ancestorsOf = (id: string): string[] => {
    const out: string[] = [];
    for (let p = parents.get(id); p !== undefined && !out.includes(p); p = parents.get(p)) out.push(p);
    return out;
  };
  const ids = new Set(located.map((l) => l.task.id));
  const untaken = untakenBranchTasks(flow, options);

  const cells: CellDependencies[] = located.map(({ task }, index) => {
    const defaults = applicableDefaults(task, flow.pluginDefaults);
    const texts = [...stringsIn(task, childPropertyNames(task)), ...defaults.flatMap((d) => stringsIn(d.values))];
    const { inputs, variables } = flowReads(flow, texts);
    const effects: Effects = untaken.has(task.id) ? { reads: [], writes: [] } : effectsOf(task, flow, inlineFor(flow, options.inputValues, task.id));
    const outputsOf = [...new Set(outputReferences(task, flow.variables).map((r) => r.taskId))].filter((id) => id !== task.id && ids.has(id));
    const cell: CellDependencies = {
      taskId: task.id,
      index,
      ancestorIds: ancestorsOf(task.id),
      outputsOf,
      inputs,
      variables,
      pluginDefaults: [...new Set(defaults.map((d) => d.type))],
      reads: effects.reads,
      writes: effects.writes,
    };
    if (effects.opaque) cell.opaque = effects.opaque;
    return cell;
  });

  const byId = new Map(cells.map((c) => [c.taskId, c]));
  const edges = new Map<string, DependencyEdge>();
  const related = (a: CellDependencies, b: CellDependencies) => a.ancestorIds.includes(b.taskId) || b.ancestorIds.includes(a.taskId);
  const add = (from: CellDependencies, to: CellDependencies, via: DependencyVia): void => {
    if (from === to || related(from, to)) return;
    const key = `${from.taskId}\u0000${to.taskId}`;
    const known = edges.get(key);
    if (!known || rank(via) < rank(known.via)) edges.set(key, { from: from.taskId, to: to.taskId, via });
  };

  for (const cell of cells) {
    for (const id of cell.outputsOf) add(byId.get(id) as CellDependencies, cell, { kind: 'outputs' });
  }
  for (const writer of cells) {
    for (const later of cells.slice(writer.index + 1)) {
      for (const w of writer.writes) {
        if (later.reads.some((r) => r.key === w.key)) add(writer, later, { kind: 'resource', name: w.name, reads: true });
        else if (later.writes.some((r) => r.key === w.key)) add(writer, later, { kind: 'resource', name: w.name, reads: false });
      }
    }
  }
  for (const cell of cells) {
    if (!cell.opaque) continue;
    for (const earlier of cells.slice(0, cell.index)) {
      if (earlier.writes.length > 0 || earlier.opaque) add(earlier, cell, { kind: 'order-self' });
    }
    for (const later of cells.slice(cell.index + 1)) {
      if (later.reads.length > 0) add(cell, later, { kind: 'order-upstream' });
    }
  }

  const order = (id: string) => byId.get(id)?.index ?? 0;
  const sorted = [...edges.values()].sort((a, b) => order(a.to) - order(b.to) || order(a.from) - order(b.from));
  return { cells, edges: sorted };
}

/** The edges into one cell: what it depends on directly. */
export function upstreamOf(graph: DependencyGraph, taskId: string): DependencyEdge[] {
  return graph.edges.filter((e) => e.to === taskId);
}
