/**
 * The static reference check: before anything runs, every variable a flow's templates read is
 * checked against the flow itself, so a misspelt task id or input shows up as a warning with
 * its line and column instead of failing half-way through a run.
 *
 * - `outputs.<id>.<name>`: the task exists, it runs before the task reading it (tasks in
 *   `errors`, `finally` and `afterExecution` may read any task), and its type produces `<name>`
 *   (from the task catalog's output names; what lies below the name is not checked);
 * - `inputs.<id>` is a declared input, `vars.<name>` a declared variable;
 * - `trigger.*` needs a trigger, `taskrun.value` a ForEach around the task, `taskrun.iteration`
 *   a LoopUntil, `parent`/`parents` a flowable task;
 * - `secret('KEY')` and `kv('KEY')` are checked only when the caller says what exists.
 *
 * A reference followed by `??`, `| default(…)` or `is defined` handles a missing value itself
 * and is not checked. Pure: it reads the flow and the catalog's answers, nothing else.
 */
import type { Document } from 'yaml';
import { childPropertyNames } from './children';
import { lineIndexOf, nodeAt } from './positions';
import { didYouMean } from './suggest';
import { templateReferences, type TemplateReference, type VariableReference } from './template-scan';
import type { FlowIssue, FlowSpec, RawTask, YamlPath } from './types';
import { isRawTask, isRecord, rawTaskEntries } from './walk';

/** What exists outside the flow. Without an answer, `secret()` and `kv()` are not checked. */
export interface ReferenceEnvironment {
  /** Whether `secret(key)` finds a value. */
  hasSecret?: (key: string) => boolean;
  /**
   * Whether `kv(key)` finds a value in `namespace`; `inherit` when the call names no namespace,
   * so parent namespaces count too, as Kestra's kv() looks there.
   */
  hasKv?: (key: string, namespace: string, inherit: boolean) => boolean;
}

export interface ReferenceCheckOptions extends ReferenceEnvironment {
  /** The output names of a task type; undefined when the type is unknown or declares none. */
  outputsOf: (type: string) => readonly string[] | undefined;
}

interface TaskEntry {
  task: RawTask;
  path: YamlPath;
  parent?: TaskEntry;
  /** Position among the tasks that run in order (the flow's and flowables' main lists); undefined in a handler. */
  order?: number;
  /** In `errors`, `finally` or `afterExecution`, of the flow or of a flowable: runs after the others. */
  inHandler: boolean;
}

/** Where a string is read: in a task (run in its place), or in the flow's variables, outputs or plugin defaults. */
type Context = { kind: 'task'; entry: TaskEntry } | { kind: 'flow' };

const HANDLERS = new Set(['errors', 'finally', 'afterExecution']);
/** Flowables whose children run once per value, their outputs kept under it (`outputs.<id>[value]`). */
const VALUE_LOOPS = new Set(['ForEach', 'EachSequential', 'EachParallel']);
/** Flowables whose children run once per iteration (`taskrun.iteration`). */
const ITERATION_LOOPS = new Set(['LoopUntil', 'WaitFor']);
/** ForEachItem's internal tasks (Kestra's ForEachItem.java): id suffix and class. */
const FOR_EACH_ITEM_TASKS = [
  ['_split', 'ForEachItemSplit'],
  ['_items', 'ForEachItemExecutable'],
  ['_merge', 'ForEachItemMergeOutputs'],
] as const;
/** Properties of a task that are not templates. */
const NOT_RENDERED = new Set(['id', 'type', 'description']);

function flowClass(type: string): string | undefined {
  return /\.flows?\.([A-Za-z]+)$/.exec(type)?.[1];
}

function ancestorsOf(entry: TaskEntry): TaskEntry[] {
  const out: TaskEntry[] = [];
  for (let p = entry.parent; p; p = p.parent) out.push(p);
  return out;
}

function isDescendantOf(entry: TaskEntry, ancestor: TaskEntry): boolean {
  return ancestorsOf(entry).includes(ancestor);
}

function isPrefix(prefix: YamlPath, path: YamlPath): boolean {
  return prefix.length < path.length && prefix.every((segment, i) => path[i] === segment);
}

/** Every task with its parent and run order, in document order. */
function taskEntries(root: Record<string, unknown>): TaskEntry[] {
  const entries: TaskEntry[] = [];
  const stack: TaskEntry[] = [];
  let order = 0;
  for (const raw of rawTaskEntries(root)) {
    while (stack.length > 0 && !isPrefix(stack[stack.length - 1].path, raw.path)) stack.pop();
    if (!isRawTask(raw.value)) continue;
    const parent = stack[stack.length - 1];
    const inHandler = (parent?.inHandler ?? false) || (raw.branch !== undefined && HANDLERS.has(raw.branch));
    const entry: TaskEntry = { task: raw.value, path: raw.path, parent, inHandler, order: inHandler ? undefined : order++ };
    entries.push(entry);
    stack.push(entry);
  }
  return entries;
}

/** Every string of a value with its path, map values and list items alike. */
function stringsWithPaths(value: unknown, path: YamlPath, out: { text: string; path: YamlPath }[] = []): { text: string; path: YamlPath }[] {
  if (typeof value === 'string') out.push({ text: value, path });
  else if (Array.isArray(value)) value.forEach((item, i) => stringsWithPaths(item, [...path, i], out));
  else if (isRecord(value)) for (const [key, item] of Object.entries(value)) stringsWithPaths(item, [...path, key], out);
  return out;
}

function quoted(text: string): string {
  return `\`${text.replace(/\s+/g, ' ')}\``;
}

class ReferenceChecker {
  readonly issues: FlowIssue[] = [];
  private readonly entries: TaskEntry[];
  private readonly byId = new Map<string, TaskEntry>();
  private readonly inputIds: string[];
  private readonly kvSetKeys = new Set<string>();

  constructor(
    private readonly source: { doc: Document; text: string },
    private readonly root: Record<string, unknown>,
    private readonly flow: FlowSpec,
    private readonly options: ReferenceCheckOptions,
  ) {
    this.entries = taskEntries(root);
    for (const entry of this.entries) if (!this.byId.has(entry.task.id)) this.byId.set(entry.task.id, entry);
    for (const entry of this.entries) {
      if (flowClass(entry.task.type) !== 'ForEachItem') continue;
      // ForEachItem runs three internal tasks of its own, read as `outputs.<id>_items.iterations` and so on.
      for (const [suffix, inner] of FOR_EACH_ITEM_TASKS) {
        const id = entry.task.id + suffix;
        if (!this.byId.has(id)) this.byId.set(id, { ...entry, task: { id, type: `${entry.task.type}$${inner}` } });
      }
    }
    this.inputIds = flow.inputs.map((i) => i.id);
    for (const { task } of this.entries) {
      // A kv.Set of this flow with a literal key makes `kv('KEY')` found, whatever the store holds now.
      if (/\.kv\.Set$/.test(task.type) && typeof task.key === 'string' && !task.key.includes('{{')) {
        this.kvSetKeys.add(`${typeof task.namespace === 'string' ? task.namespace : flow.namespace}\u0000${task.key}`);
      }
    }
  }

  run(): FlowIssue[] {
    for (const entry of this.entries) {
      const skip = childPropertyNames(entry.task);
      for (const [key, value] of Object.entries(entry.task)) {
        if (NOT_RENDERED.has(key) || skip.has(key)) continue;
        for (const s of stringsWithPaths(value, [...entry.path, key])) this.checkString(s.text, s.path, { kind: 'task', entry });
      }
    }
    for (const s of stringsWithPaths(this.flow.variables, ['variables'])) this.checkString(s.text, s.path, { kind: 'flow' });
    if (Array.isArray(this.root.outputs)) {
      this.root.outputs.forEach((output, i) => {
        if (isRecord(output)) for (const s of stringsWithPaths(output.value, ['outputs', i, 'value'])) this.checkString(s.text, s.path, { kind: 'flow' });
      });
    }
    for (const key of ['pluginDefaults', 'taskDefaults']) {
      const list = this.root[key];
      if (!Array.isArray(list)) continue;
      list.forEach((item, i) => {
        if (isRecord(item)) for (const s of stringsWithPaths(item.values, [key, i, 'values'])) this.checkString(s.text, s.path, { kind: 'flow' });
      });
    }
    return this.issues;
  }

  private checkString(text: string, path: YamlPath, context: Context): void {
    if (!text.includes('{')) return;
    for (const ref of templateReferences(text)) {
      if (ref.guarded) continue;
      const problem = this.problemOf(ref, context);
      if (problem) this.report(text, path, ref, problem, context);
      if (ref.kind === 'variable' && ref.root === 'vars' && ref.rendered && context.kind === 'task') this.checkRenderedVariable(text, path, ref, context);
    }
  }

  /**
   * `render(vars.x)` runs the variable's templates in the task: whether a task has run yet, or
   * a ForEach is around, is decided there. What does not depend on the place (unknown tasks,
   * inputs, outputs) is reported once, at the variable.
   */
  private checkRenderedVariable(text: string, path: YamlPath, ref: VariableReference, context: Context & { kind: 'task' }, seen = new Set<string>()): void {
    const name = ref.segments[0]?.kind === 'name' ? ref.segments[0].name : undefined;
    if (name === undefined || seen.has(name) || !(name in this.flow.variables)) return;
    seen.add(name);
    for (const s of stringsWithPaths(this.flow.variables[name], ['variables', name])) {
      for (const inner of templateReferences(s.text)) {
        if (inner.guarded) continue;
        const problem = this.contextualProblem(inner, context);
        if (problem) this.report(text, path, ref, `${quoted(inner.text)} in \`vars.${name}\`, rendered here: ${problem}`, context);
        if (inner.kind === 'variable' && inner.root === 'vars' && inner.rendered) this.checkRenderedVariable(text, path, { ...ref, segments: inner.segments }, context, seen);
      }
    }
  }

  /** The first problem of a reference: an unknown name, then the place it is read in, then an output the task does not produce. */
  private problemOf(ref: TemplateReference, context: Context): string | undefined {
    return this.placeFreeProblem(ref) ?? (context.kind === 'task' ? this.contextualProblem(ref, context) : undefined) ?? this.outputProblem(ref);
  }

  /** Problems whatever the place the template is rendered in. */
  private placeFreeProblem(ref: TemplateReference): string | undefined {
    if (ref.kind === 'call') return this.callProblem(ref);
    const first = ref.segments[0];
    const name = first?.kind === 'name' ? first.name : undefined;
    switch (ref.root) {
      case 'outputs': {
        if (name === undefined) return undefined;
        if (this.byId.has(name)) return undefined;
        return `there is no task \`${name}\` in this flow${didYouMean(name, this.byId.keys())}`;
      }
      case 'inputs':
        if (name === undefined || this.inputIds.some((id) => id === name || id.startsWith(`${name}.`))) return undefined;
        return `the flow has no input \`${name}\`${didYouMean(name, this.inputIds)}`;
      case 'vars':
        if (name === undefined || name in this.flow.variables) return undefined;
        return `the flow has no variable \`${name}\`${didYouMean(name, Object.keys(this.flow.variables))}`;
      case 'trigger':
        return this.flow.triggers.length === 0 ? 'the flow has no trigger, so `trigger` is not set when it runs (add `?? …` for runs without one)' : undefined;
      default:
        return undefined;
    }
  }

  /** `outputs.<id>.<name>`: a name the task's type does not produce. */
  private outputProblem(ref: TemplateReference): string | undefined {
    if (ref.kind !== 'variable' || ref.root !== 'outputs') return undefined;
    const [first, property] = ref.segments;
    const target = first?.kind === 'name' ? this.byId.get(first.name) : undefined;
    if (!target || property?.kind !== 'name') return undefined;
    // Inside a ForEach the outputs are kept per value: `outputs.<id>[value].<name>`.
    if (ancestorsOf(target).some((a) => VALUE_LOOPS.has(flowClass(a.task.type) ?? ''))) return undefined;
    const names = this.options.outputsOf(target.task.type);
    if (names === undefined || names.includes(property.name)) return undefined;
    const type = target.task.type;
    if (names.length === 0) return `${type} produces no outputs`;
    return `${type} has no output \`${property.name}\` (it has ${names.map((n) => `\`${n}\``).join(', ')})${didYouMean(property.name, names)}`;
  }

  private callProblem(ref: TemplateReference & { kind: 'call' }): string | undefined {
    const key = ref.args[0];
    if (typeof key !== 'string') return undefined;
    if (ref.name === 'secret') {
      return this.options.hasSecret && !this.options.hasSecret(key) ? `no secret \`${key}\` is set here` : undefined;
    }
    const namespaceArg = ref.args[1] ?? ref.named.namespace;
    const errorOnMissing = ref.args[2] ?? ref.named.errorOnMissing;
    if (errorOnMissing === false || (namespaceArg !== undefined && typeof namespaceArg !== 'string')) return undefined;
    const namespace = namespaceArg ?? this.flow.namespace;
    if (this.kvSetKeys.has(`${namespace}\u0000${key}`) || !this.options.hasKv || this.options.hasKv(key, namespace, namespaceArg === undefined)) return undefined;
    return `no KV pair \`${key}\` in namespace \`${namespace}\`, and no kv.Set task of this flow sets it`;
  }

  /** Problems that depend on the task the template is rendered in. */
  private contextualProblem(ref: TemplateReference, context: Context & { kind: 'task' }): string | undefined {
    if (ref.kind !== 'variable') return undefined;
    const { entry } = context;
    const ancestors = ancestorsOf(entry);
    const first = ref.segments[0];
    const name = first?.kind === 'name' ? first.name : undefined;
    switch (ref.root) {
      case 'outputs': {
        const target = name === undefined ? undefined : this.byId.get(name);
        if (!target || entry.inHandler) return undefined;
        if (target === entry) return `task \`${name}\` reads its own outputs, which are not there while it runs`;
        // A LoopUntil's condition reads what its children gave in the iteration that just ran.
        if (isDescendantOf(target, entry) && ITERATION_LOOPS.has(flowClass(entry.task.type) ?? '')) return undefined;
        // A Dag runs its tasks in the order of their `dependsOn`, not in the order they are written.
        if (ancestors.some((a) => flowClass(a.task.type) === 'Dag' && isDescendantOf(target, a))) return undefined;
        if (target.order === undefined) return `task \`${name}\` runs only in \`errors\`/\`finally\`, after \`${entry.task.id}\``;
        if (entry.order !== undefined && target.order > entry.order) {
          const line = this.lineOf(target.path);
          return `task \`${name}\`${line ? ` (line ${line})` : ''} runs after \`${entry.task.id}\`, so its outputs are not there yet`;
        }
        return undefined;
      }
      case 'taskrun':
        if (name === 'value' && !ancestors.some((a) => VALUE_LOOPS.has(flowClass(a.task.type) ?? ''))) {
          return `task \`${entry.task.id}\` is not inside a ForEach, so \`taskrun.value\` is not set`;
        }
        // A ForEachItem renders its child inputs with its batch: `taskrun.items` and `taskrun.iteration`.
        if (name === 'iteration' && flowClass(entry.task.type) !== 'ForEachItem' && !ancestors.some((a) => ITERATION_LOOPS.has(flowClass(a.task.type) ?? ''))) {
          return `task \`${entry.task.id}\` is not inside a LoopUntil, so \`taskrun.iteration\` is not set`;
        }
        return undefined;
      case 'parent':
      case 'parents':
        return ancestors.length === 0 ? `task \`${entry.task.id}\` is not inside a flowable task, so \`${ref.root}\` has nothing` : undefined;
      default:
        return undefined;
    }
  }

  private lineOf(path: YamlPath): number | undefined {
    const node = nodeAt(this.source.doc, path);
    return node?.range ? lineIndexOf(this.source).pos(node.range[0]).line : undefined;
  }

  /** A warning at the reference itself: the scalar's start, moved to where the reference's text is in the source. */
  private report(text: string, path: YamlPath, ref: TemplateReference, problem: string, context: Context): void {
    const issue: FlowIssue = { severity: 'warning', path, message: `${quoted(ref.text)}: ${problem}` };
    const node = nodeAt(this.source.doc, path);
    if (node?.range) {
      const [start, end] = node.range;
      const raw = this.source.text.slice(start, end);
      // The n-th occurrence in the value is the n-th in the source, unless escapes changed it.
      let nth = 0;
      for (let at = text.indexOf(ref.text); at >= 0 && at < ref.start; at = text.indexOf(ref.text, at + 1)) nth++;
      let found = -1;
      for (let k = 0, at = raw.indexOf(ref.text); at >= 0; k++, at = raw.indexOf(ref.text, at + 1)) {
        if (k === nth) {
          found = at;
          break;
        }
      }
      issue.pos = lineIndexOf(this.source).pos(start + (found >= 0 ? found : 0));
    }
    if (context.kind === 'task') issue.taskId = context.entry.task.id;
    this.issues.push(issue);
  }
}

/**
 * Warnings for every reference of the flow's templates that the flow cannot satisfy, each at
 * the reference's line and column, with the task it is in. `root` is the flow as read from the
 * YAML (for `afterExecution` and flow outputs), `flow` the typed view of it.
 */
export function checkReferences(
  source: { doc: Document; text: string },
  root: Record<string, unknown>,
  flow: FlowSpec,
  options: ReferenceCheckOptions,
): FlowIssue[] {
  return new ReferenceChecker(source, root, flow, options).run();
}
