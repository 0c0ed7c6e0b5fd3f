/**
 * A notebook as the page shows it: its cells with their latest runs and staleness, its data
 * trace and topology. Staleness and the data trace read the notebook's dependency graph
 * (lib/flow/dependencies.ts) with real input values: a cell that ran is read with the
 * values of its last run, the others with the notebook's current values.
 *
 * The facts staleness compares come from each run's execution: the YAML it ran (the
 * variables, input definitions and pluginDefaults then), the input values it ran with, and
 * every cell's fingerprint at that moment.
 */
import type { FlowSpec, ParsedFlow, RawTask } from '../flow';
import { isTemplate, walkTasks } from '../flow';
import { applicableDefaults, notebookDependencies, type CellDependencies, type DependencyGraph } from '../flow/dependencies';
import { untakenBranchTasks, type InputValues, type ReadOptions } from '../flow/lineage';
import { parseFlow } from '../tasks/catalog';
import { defaultHost, renderTemplate, TemplateError } from '../template';
import type { Db } from '../db/client';
import type { CellDto, DataTrace, Topology } from '../contract';
import { parseJson } from '../persistence/rows';
import { buildCells, type LatestRun } from './cells';
import { contextHash, sourceHash, stableJson } from './hashes';
import { latestRunsByTask } from './history';
import { mergeInputValues, storedInputValues } from './input-values';
import { flowLineage } from './lineage';
import { computeStaleness, type CellFacts, type ContextChange } from './staleness';

/** What an execution recorded about the notebook as it was when it started. */
export interface RunRecord {
  /** The input values it ran with. */
  inputs: Record<string, unknown>;
  /** Every cell's fingerprints then (`source`: its definition). */
  cellHashes: Record<string, { source?: string; context?: string }>;
  /** The flow it ran, when its YAML still reads. */
  flow?: FlowSpec;
}

export interface NotebookAnalysis {
  cells: CellDto[];
  dataTrace: DataTrace;
  topology: Topology;
  graph: DependencyGraph;
  /** Cells in a branch that does not run with the current input values (an If whose condition is false). */
  untaken: ReadonlySet<string>;
  /** The values the notebook runs with now. */
  currentInputs: InputValues;
}

/**
 * The notebook's current input values: the values stored for it (typed into its inputs
 * form) over the YAML's defaults, as a run from the page uses them. A default written as a
 * template is known only when a run renders it, so it is left out.
 */
export async function currentInputValues(db: Db, notebookId: string, flow: FlowSpec): Promise<Record<string, unknown>> {
  const merged = mergeInputValues(flow.inputs, await storedInputValues(db, notebookId));
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => !isTemplate(value)));
}

/** Flows parsed from executions' YAML, by execution id: an execution's YAML never changes. */
const parsedRuns = new Map<string, FlowSpec | null>();
const PARSED_RUNS_KEPT = 500;

function runFlow(executionId: string, yaml: string): FlowSpec | undefined {
  let flow = parsedRuns.get(executionId);
  if (flow === undefined) {
    flow = parseFlow(yaml).flow ?? null;
    if (parsedRuns.size >= PARSED_RUNS_KEPT) parsedRuns.delete(parsedRuns.keys().next().value as string);
    parsedRuns.set(executionId, flow);
  }
  return flow ?? undefined;
}

/** What the given executions recorded, by execution id. */
export async function runRecords(db: Db, executionIds: readonly string[]): Promise<Map<string, RunRecord>> {
  if (executionIds.length === 0) return new Map();
  const rows = await db.execution.findMany({ where: { id: { in: [...new Set(executionIds)] } }, select: { id: true, inputs: true, cellHashes: true, flowYaml: true } });
  return new Map(
    rows.map((r) => [
      r.id,
      { inputs: parseJson<Record<string, unknown>>(r.inputs, {}), cellHashes: parseJson<RunRecord['cellHashes']>(r.cellHashes, {}), flow: runFlow(r.id, r.flowYaml) },
    ]),
  );
}

/**
 * Renders an If condition or Switch value with a cell's input values and the flow's
 * variables, to see which branch runs. Anything that needs a run (outputs, secrets, KV,
 * files) gives undefined: the branch then counts as taken.
 */
export function branchEvaluator(flow: FlowSpec): NonNullable<ReadOptions['evaluate']> {
  const refuse = (what: string) => () => {
    throw new TemplateError(`${what} is known only when the flow runs`);
  };
  const host = defaultHost({ secret: refuse('secret()'), kv: refuse('kv()'), read: refuse('read()'), errorLogs: refuse('errorLogs()') });
  return (template, inputs) => {
    try {
      return renderTemplate(template, { inputs, vars: flow.variables, flow: { id: flow.id, namespace: flow.namespace } }, host);
    } catch {
      return undefined;
    }
  };
}

/** Whether an input's value is the same now as in a run; a file counts by its name (each run stores its own copy). */
function sameInputValue(type: string | undefined, then: unknown, now: unknown): boolean {
  if (type === 'FILE') {
    const name = (v: unknown) => (typeof v === 'string' ? v.slice(v.lastIndexOf('/') + 1) : v);
    return name(then) === name(now);
  }
  const scalar = (v: unknown) => v === null || v === undefined || typeof v !== 'object';
  if (scalar(then) && scalar(now)) return String(then ?? '') === String(now ?? '');
  return stableJson(then) === stableJson(now);
}

/** Inputs, variables and pluginDefaults the cell reads whose value or definition differ now from its run. */
export function contextChanges(
  deps: CellDependencies,
  task: RawTask,
  flow: FlowSpec,
  current: InputValues,
  run: Pick<LatestRun, 'contextHash'>,
  record: RunRecord | undefined,
): ContextChange[] {
  const out: ContextChange[] = [];
  const then = record?.flow;
  for (const id of deps.inputs) {
    const now = flow.inputs.find((i) => i.id === id);
    const before = then?.inputs.find((i) => i.id === id);
    const definition = then !== undefined && stableJson(now?.raw ?? null) !== stableJson(before?.raw ?? null);
    // A value known only when a run renders it (a template default) is not compared.
    const known = id in current || !isTemplate(now?.defaults);
    const value = record !== undefined && known && !sameInputValue(now?.type, record.inputs[id], current[id]);
    if (definition || value) out.push({ kind: 'input', id });
  }
  if (!then) {
    if (run.contextHash !== undefined && run.contextHash !== contextHash(flow, task)) out.push({ kind: 'context' });
    return out;
  }
  for (const name of deps.variables) {
    if (stableJson(flow.variables[name] ?? null) !== stableJson(then.variables[name] ?? null)) out.push({ kind: 'variable', name });
  }
  const nowDefaults = applicableDefaults(task, flow.pluginDefaults);
  const thenDefaults = applicableDefaults(task, then.pluginDefaults);
  for (const type of new Set([...nowDefaults, ...thenDefaults].map((d) => d.type))) {
    if (stableJson(nowDefaults.filter((d) => d.type === type)) !== stableJson(thenDefaults.filter((d) => d.type === type))) out.push({ kind: 'pluginDefaults', type });
  }
  return out;
}

/**
 * The staleness facts of every cell: what changed since its latest run. `latest` holds each
 * cell's latest run, `records` what that run's execution recorded.
 */
export function cellFacts(
  flow: FlowSpec,
  graph: DependencyGraph,
  latest: ReadonlyMap<string, LatestRun>,
  records: ReadonlyMap<string, RunRecord>,
  current: InputValues,
): CellFacts[] {
  const tasks = new Map(walkTasks(flow).map((l) => [l.task.id, l.task]));
  const sources = new Map([...tasks].map(([id, task]) => [id, sourceHash(task)]));
  // Which cells changed since an execution, worked out once per execution.
  const changedSince = new Map<string, Set<string>>();
  const changedSinceRecord = (executionId: string, record: RunRecord | undefined): Set<string> => {
    let set = changedSince.get(executionId);
    if (!set) {
      set = new Set();
      for (const [id, source] of sources) {
        const before = record?.cellHashes[id]?.source;
        if (before !== undefined && before !== source) set.add(id);
      }
      changedSince.set(executionId, set);
    }
    return set;
  };
  return graph.cells.map((deps) => {
    const task = tasks.get(deps.taskId) as RawTask;
    const run = latest.get(deps.taskId);
    if (!run) return { taskId: deps.taskId, edited: false, contextChanges: [], changedSinceRun: new Set<string>() };
    const executionId = run.taskRun.executionId;
    const record = records.get(executionId);
    const recordedSource = run.sourceHash ?? record?.cellHashes[deps.taskId]?.source;
    return {
      taskId: deps.taskId,
      run: { startDate: run.taskRun.startDate, endDate: run.taskRun.endDate, state: run.taskRun.state },
      edited: recordedSource !== undefined && recordedSource !== sources.get(deps.taskId),
      contextChanges: contextChanges(deps, task, flow, current, run, record),
      changedSinceRun: changedSinceRecord(executionId, record),
    };
  });
}

/** What the database holds about a notebook's runs, for `analyse`. */
export interface RunHistory {
  /** Each cell's latest run. */
  latest: ReadonlyMap<string, LatestRun>;
  /** What each of those runs' executions recorded, by execution id. */
  records: ReadonlyMap<string, RunRecord>;
  /** The notebook's current input values. */
  current: InputValues;
}

/** The cells, their staleness, the data trace and topology of a notebook with this history. Pure. */
export function analyse(parsed: ParsedFlow, flow: FlowSpec, history: RunHistory): NotebookAnalysis {
  const { latest, records, current } = history;
  const evaluate = branchEvaluator(flow);
  // A cell that ran is read with its run's values: what it did. The others with the current ones: what they would do.
  const inputValues = (taskId: string): InputValues => {
    const run = latest.get(taskId);
    const record = run && records.get(run.taskRun.executionId);
    return record ? { ...current, ...record.inputs } : current;
  };
  const options: ReadOptions = { inputValues, evaluate };
  const graph = notebookDependencies(flow, options);
  const staleness = computeStaleness(graph, cellFacts(flow, graph, latest, records, current));
  const lineage = flowLineage(flow, options);
  return {
    cells: buildCells(parsed, flow, latest, staleness),
    dataTrace: lineage.dataTrace,
    topology: lineage.topology,
    graph,
    untaken: untakenBranchTasks(flow, { inputValues: current, evaluate }),
    currentInputs: current,
  };
}

/**
 * Everything the notebook page shows about the notebook's cells, read from the database and
 * the YAML. `inputs`: values a run is about to use, over the current ones.
 */
export async function analyseNotebook(db: Db, notebookId: string, parsed: ParsedFlow, flow: FlowSpec, inputs: InputValues = {}): Promise<NotebookAnalysis> {
  const latest = await latestRunsByTask(db, notebookId);
  const records = await runRecords(db, [...latest.values()].map((r) => r.taskRun.executionId));
  const given = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const current = { ...(await currentInputValues(db, notebookId, flow)), ...given };
  return analyse(parsed, flow, { latest, records, current });
}
