/**
 * When is a cell's result out of date? Pure rules over the notebook's dependency graph
 * (lib/flow/dependencies.ts) and what each cell's last run recorded; no I/O. A cell that
 * ran is stale when, in this order of telling:
 *
 * 1. its own definition changed since it ran;
 * 2. an input, variable or pluginDefault it reads changed since it ran;
 * 3. a cell it depends on, directly or through others, ran again after it;
 * 4. a cell it depends on, directly or through others, was edited after it ran;
 * 5. a cell it depends on is stale itself (it was built from a result that no longer holds).
 *
 * Dependencies are the graph's edges: outputs used, tables and KV keys written then read,
 * and, only for cells whose effects cannot be analysed, the cells' order. The reason names
 * the cell and what links it, in the words the stale badge shows.
 */
import type { DependencyGraph, DependencyVia } from '../flow/dependencies';

export interface CellRunFacts {
  startDate?: string;
  endDate?: string;
  /** The run's state; a SKIPPED run did nothing and so changed nothing downstream. */
  state?: string;
}

/** Something flow-level a cell reads that is not what it was when the cell ran. */
export type ContextChange =
  | { kind: 'input'; id: string }
  | { kind: 'variable'; name: string }
  | { kind: 'pluginDefaults'; type: string }
  /** Only a fingerprint of all of them is known for the run (no YAML to compare with). */
  | { kind: 'context' };

export interface CellFacts {
  taskId: string;
  /** The cell's latest run; a cell that never ran is never stale. */
  run?: CellRunFacts;
  /** Its own definition differs from the one it last ran with. */
  edited: boolean;
  /** What it reads at flow level that changed since its last run, first the one to tell. */
  contextChanges: readonly ContextChange[];
  /** Other cells whose definition now differs from what it was when this cell last ran. */
  changedSinceRun: ReadonlySet<string>;
}

/** What made a cell stale, for tests and for the reason text. */
export type StaleCause =
  | { kind: 'edited' }
  | { kind: 'context'; change: ContextChange }
  /** `upstream` ran again after this cell; `via` links it directly, `through` is the first cell on the way when it is further up. */
  | { kind: 'upstream-ran'; upstream: string; via: DependencyVia; through?: string }
  | { kind: 'upstream-changed'; upstream: string; via: DependencyVia; through?: string }
  /** A cell this one depends on is stale for a reason of its own. */
  | { kind: 'upstream-stale'; upstream: string; cause: StaleCause; reason: string; through?: string };

export type Staleness = { stale: false } | { stale: true; reason: string; cause: StaleCause };

const FRESH: Staleness = { stale: false };

function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function changeText(change: ContextChange): string {
  switch (change.kind) {
    case 'input':
      return `input ${change.id} changed`;
    case 'variable':
      return `variable ${change.name} changed`;
    case 'pluginDefaults':
      return `plugin defaults for ${change.type} changed`;
    case 'context':
      return 'inputs, variables or plugin defaults it reads changed';
  }
}

/** What links an upstream cell to this one, after "X ran again" or "X changed since this cell ran". */
function viaText(via: DependencyVia): string {
  switch (via.kind) {
    case 'outputs':
      return '';
    case 'resource':
      return ` (writes ${via.name}, which this cell ${via.reads ? 'reads' : 'writes too'})`;
    case 'order-upstream':
      return ' (its effects cannot be analysed)';
    case 'order-self':
      return '';
  }
}

const ORDER_SELF = 'may depend on earlier cells (its effects cannot be analysed)';

/** The reason as the badge shows it after "stale: ". */
export function reasonText(cause: StaleCause): string {
  switch (cause.kind) {
    case 'edited':
      return 'this cell changed since it ran';
    case 'context':
      return changeText(cause.change);
    case 'upstream-ran':
    case 'upstream-changed': {
      const what = cause.kind === 'upstream-ran' ? `${cause.upstream} ran again` : `${cause.upstream} changed since this cell ran`;
      if (cause.through !== undefined) return `${what} (through ${cause.through})`;
      if (cause.via.kind === 'order-self') return `${ORDER_SELF}: ${what}`;
      return what + viaText(cause.via);
    }
    case 'upstream-stale': {
      const through = cause.through === undefined ? '' : `; through ${cause.through}`;
      if (cause.cause.kind === 'edited') return `${cause.upstream} changed since it ran${cause.through === undefined ? '' : ` (through ${cause.through})`}`;
      if (cause.cause.kind === 'context') return `${changeText(cause.cause.change)} (${cause.upstream} reads it${through})`;
      return `${cause.upstream} is stale (${cause.reason})`;
    }
  }
}

interface Upstream {
  taskId: string;
  /** How the nearest cell on the way links to this one. */
  via: DependencyVia;
  /** The first cell on the way, when the upstream is not a direct one. */
  through?: string;
}

const VIA_ORDER: Record<DependencyVia['kind'], number> = { outputs: 0, resource: 1, 'order-upstream': 2, 'order-self': 3 };

/**
 * Every cell this one depends on, nearest first (breadth first over the graph), each once,
 * never its own enclosing or nested cells: a parent always ends after its children.
 */
function upstreamClosure(graph: DependencyGraph, taskId: string): Upstream[] {
  const index = new Map(graph.cells.map((c) => [c.taskId, c]));
  const self = index.get(taskId);
  const into = new Map<string, { from: string; via: DependencyVia }[]>();
  for (const e of graph.edges) {
    const list = into.get(e.to) ?? [];
    list.push({ from: e.from, via: e.via });
    into.set(e.to, list);
  }
  const related = (id: string) => self !== undefined && (self.ancestorIds.includes(id) || (index.get(id)?.ancestorIds.includes(taskId) ?? false));
  // Nearest in kind first, then the closest cell before this one.
  const sorted = (id: string) =>
    [...(into.get(id) ?? [])].sort((a, b) => VIA_ORDER[a.via.kind] - VIA_ORDER[b.via.kind] || (index.get(b.from)?.index ?? 0) - (index.get(a.from)?.index ?? 0));

  const out: Upstream[] = [];
  const seen = new Set([taskId]);
  let frontier: Upstream[] = [];
  for (const e of sorted(taskId)) {
    if (seen.has(e.from) || related(e.from)) continue;
    seen.add(e.from);
    frontier.push({ taskId: e.from, via: e.via });
  }
  while (frontier.length > 0) {
    out.push(...frontier);
    const next: Upstream[] = [];
    for (const u of frontier) {
      for (const e of sorted(u.taskId)) {
        if (seen.has(e.from) || related(e.from)) continue;
        seen.add(e.from);
        next.push({ taskId: e.from, via: e.via, through: u.through ?? u.taskId });
      }
    }
    frontier = next;
  }
  return out;
}

/** One verdict per cell of the graph. `facts` may leave out cells (they count as never run). */
export function computeStaleness(graph: DependencyGraph, facts: readonly CellFacts[]): Map<string, Staleness> {
  const byId = new Map(facts.map((f) => [f.taskId, f]));
  const verdicts = new Map<string, Staleness>();
  const inProgress = new Set<string>();

  const ranAfter = (upstream: CellFacts | undefined, since: number | undefined): boolean => {
    if (!upstream?.run || upstream.run.state === 'SKIPPED' || since === undefined) return false;
    const ended = time(upstream.run.endDate);
    return ended !== undefined && ended > since;
  };

  const verdict = (taskId: string): Staleness => {
    const known = verdicts.get(taskId);
    if (known) return known;
    // A cycle of forward references: the cell already being judged does not judge itself.
    if (inProgress.has(taskId)) return FRESH;
    inProgress.add(taskId);
    const v = judge(taskId);
    inProgress.delete(taskId);
    verdicts.set(taskId, v);
    return v;
  };

  const stale = (cause: StaleCause): Staleness => ({ stale: true, reason: reasonText(cause), cause });

  const judge = (taskId: string): Staleness => {
    const cell = byId.get(taskId);
    const run = cell?.run;
    if (!cell || !run) return FRESH;
    if (cell.edited) return stale({ kind: 'edited' });
    const change = cell.contextChanges[0];
    if (change) return stale({ kind: 'context', change });

    const since = time(run.startDate) ?? time(run.endDate);
    // An upstream that never ran has produced nothing this cell could have read.
    const upstreams = upstreamClosure(graph, taskId).filter((u) => byId.get(u.taskId)?.run !== undefined);
    const ran = upstreams.find((u) => ranAfter(byId.get(u.taskId), since));
    if (ran) return stale({ kind: 'upstream-ran', upstream: ran.taskId, via: ran.via, ...(ran.through ? { through: ran.through } : {}) });
    const changed = upstreams.find((u) => cell.changedSinceRun.has(u.taskId));
    if (changed) return stale({ kind: 'upstream-changed', upstream: changed.taskId, via: changed.via, ...(changed.through ? { through: changed.through } : {}) });
    for (const u of upstreams) {
      const v = verdict(u.taskId);
      if (!v.stale) continue;
      // A chain is told by its root, through the first cell on the way.
      if (v.cause.kind === 'upstream-stale') return stale({ kind: 'upstream-stale', upstream: v.cause.upstream, cause: v.cause.cause, reason: v.cause.reason, through: u.through ?? u.taskId });
      return stale({ kind: 'upstream-stale', upstream: u.taskId, cause: v.cause, reason: v.reason, ...(u.through ? { through: u.through } : {}) });
    }
    return FRESH;
  };

  for (const cell of graph.cells) verdict(cell.taskId);
  return verdicts;
}
