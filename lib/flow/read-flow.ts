/** Reading a parsed YAML document as a flow: the typed FlowSpec and every issue found on the way. */
import { isAlias, visit, type Document } from 'yaml';
import { IssueList } from './issues';
import { lineIndexOf } from './positions';
import type { ConcurrencyBehavior, FlowIssue, FlowSpec, PluginDefault, RawTask } from './types';
import { checkReferences } from './references';
import { readInputs } from './validate-inputs';
import { checkTasks, MAX_ID_LENGTH, type TaskCheckOptions } from './validate-tasks';
import { readTriggers } from './validate-triggers';
import { readSla } from './validate-sla';
import { isRawTask, isRecord } from './walk';

/** Alias expansions allowed when reading a document: flows need few, a "billion laughs" needs millions. */
export const MAX_ALIAS_COUNT = 100;

const FLOW_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;
const MAX_NAMESPACE_LENGTH = 150;
const BEHAVIORS: readonly ConcurrencyBehavior[] = ['QUEUE', 'CANCEL', 'FAIL'];

const KNOWN_KEYS = new Set([
  'id', 'namespace', 'revision', 'description', 'labels', 'inputs', 'outputs', 'variables', 'tasks', 'errors',
  'finally', 'afterExecution', 'listeners', 'triggers', 'pluginDefaults', 'taskDefaults', 'concurrency', 'retry',
  'sla', 'checks', 'disabled', 'deleted', 'tenantId', 'workerGroup',
]);

export interface ReadResult {
  flow?: FlowSpec;
  issues: FlowIssue[];
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

function yamlIssues(source: { doc: Document; text: string }): FlowIssue[] {
  const index = lineIndexOf(source);
  const convert = (severity: FlowIssue['severity']) => (e: { message: string; pos: [number, number] }): FlowIssue => ({
    // yaml appends a code excerpt after the first line; the position already says where.
    // A document nested thousands of levels deep overflows the parser's stack: say what that means.
    message: /Maximum call stack size exceeded/.test(e.message)
      ? 'the YAML nests too deeply to be read (thousands of levels); the flow was not read'
      : e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
    path: [],
    pos: index.pos(e.pos[0]),
    severity,
  });
  return [...source.doc.errors.map(convert('error')), ...source.doc.warnings.map(convert('warning'))];
}

export function readFlow(source: { doc: Document; text: string }, options: TaskCheckOptions): ReadResult {
  const issues = new IssueList(source);
  const yaml = yamlIssues(source);
  if (yaml.some((i) => i.severity === 'error')) return { issues: yaml };
  issues.items.push(...yaml);

  let root: unknown;
  try {
    root = source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const offset = firstAliasOffset(source.doc);
    const pos = offset === undefined ? undefined : lineIndexOf(source).pos(offset);
    const reason = error instanceof Error ? error.message : String(error);
    const message = /Excessive alias count/.test(reason)
      ? `YAML aliases expand beyond the limit of ${MAX_ALIAS_COUNT} (a "billion laughs" document?); the flow was not read`
      : `the YAML could not be read: ${reason}`;
    issues.items.push({ message, path: [], severity: 'error', ...(pos ? { pos } : {}) });
    return { issues: issues.items };
  }

  if (!isRecord(root)) {
    issues.error([], root === null || root === undefined ? 'the flow is empty: expected a map with `id`, `namespace` and `tasks`' : 'a flow must be a YAML map with `id`, `namespace` and `tasks`');
    return { issues: issues.items };
  }

  let usable = true;
  const id = requiredName(root, 'id', FLOW_ID, MAX_ID_LENGTH, 'letters, digits, ".", "_" and "-", starting with a letter or digit', issues);
  const namespace = requiredName(root, 'namespace', NAMESPACE, MAX_NAMESPACE_LENGTH, 'lower-case letters, digits, ".", "_" and "-"', issues);
  if (id === undefined || namespace === undefined) usable = false;

  if (root.tasks === undefined || root.tasks === null) {
    issues.error([], 'flow is missing `tasks`');
    usable = false;
  } else if (Array.isArray(root.tasks) && root.tasks.length === 0) {
    issues.error(['tasks'], '`tasks` is empty: a flow needs at least one task');
  }
  const pluginDefaults = readPluginDefaults(root, issues);
  if (!checkTasks(root, issues, { ...options, pluginDefaults })) usable = false;

  for (const key of Object.keys(root)) {
    if (!KNOWN_KEYS.has(key)) issues.keyWarning([key], `unknown flow property \`${key}\` (Kestra will reject it)`);
  }

  const inputs = readInputs(root.inputs, issues);
  const triggers = readTriggers(root.triggers, issues);
  const labels = readLabels(root.labels, issues);
  const concurrency = readConcurrency(root.concurrency, issues);
  const sla = readSla(root.sla, issues);
  if (root.retry !== undefined && root.retry !== null && !isRecord(root.retry)) issues.error(['retry'], '`retry` must be a map');

  if (root.variables !== undefined && root.variables !== null && !isRecord(root.variables)) issues.error(['variables'], '`variables` must be a map');
  if (root.description !== undefined && root.description !== null && typeof root.description !== 'string') issues.error(['description'], '`description` must be a string');
  if (root.disabled !== undefined && typeof root.disabled !== 'boolean') issues.error(['disabled'], '`disabled` must be true or false');
  if (root.outputs !== undefined && root.outputs !== null && !Array.isArray(root.outputs)) issues.error(['outputs'], '`outputs` must be a list');
  const revision = root.revision ?? 1;
  if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1) issues.error(['revision'], '`revision` must be a positive integer');

  if (!usable || id === undefined || namespace === undefined) return { issues: issues.items };

  const flow: FlowSpec = {
    id,
    namespace,
    revision: typeof revision === 'number' && Number.isInteger(revision) && revision >= 1 ? revision : 1,
    labels,
    inputs,
    variables: isRecord(root.variables) ? root.variables : {},
    tasks: taskList(root.tasks),
    errors: taskList(root.errors),
    finally: taskList(root.finally),
    pluginDefaults,
    triggers,
    sla,
    disabled: root.disabled === true,
  };
  if (isRecord(root.retry)) flow.retry = root.retry;
  if (typeof root.description === 'string') flow.description = root.description;
  if (concurrency) flow.concurrency = concurrency;
  if (Array.isArray(root.outputs)) flow.outputs = root.outputs;
  const references = checkReferences(source, root, flow, { outputsOf: (type) => options.lookup(type)?.outputs, ...options.environment });
  return { flow, issues: [...issues.items, ...references] };
}

function taskList(value: unknown): RawTask[] {
  return Array.isArray(value) ? value.filter(isRawTask) : [];
}

function requiredName(root: Record<string, unknown>, key: 'id' | 'namespace', pattern: RegExp, max: number, rule: string, issues: IssueList): string | undefined {
  const value = root[key];
  if (value === undefined || value === null) {
    issues.error([], `flow is missing \`${key}\``);
    return undefined;
  }
  if (typeof value !== 'string') {
    issues.error([key], `flow \`${key}\` must be a string`);
    return undefined;
  }
  if (!pattern.test(value) || value.length > max) {
    issues.error([key], `invalid flow ${key} ${JSON.stringify(value)}: use ${rule}, at most ${max} characters`);
  }
  return value;
}

function readLabels(value: unknown, issues: IssueList): Record<string, string> {
  const labels: Record<string, string> = {};
  if (value === undefined || value === null) return labels;
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (isRecord(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (scalar(v)) labels[key] = String(v);
      else issues.error(['labels', key], `label ${JSON.stringify(key)} must have a text value`);
    }
    return labels;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isRecord(item) && typeof item.key === 'string' && scalar(item.value)) {
        // As in Kestra, the first label with a key wins.
        if (!(item.key in labels)) labels[item.key] = String(item.value);
      } else {
        issues.error(['labels', i], 'a label in a list must be a map with `key` and `value`');
      }
    });
    return labels;
  }
  issues.error(['labels'], '`labels` must be a map or a list of {key, value}');
  return labels;
}

function readPluginDefaults(root: Record<string, unknown>, issues: IssueList): PluginDefault[] {
  const out: PluginDefault[] = [];
  // `taskDefaults` is the older name of `pluginDefaults`; Kestra still reads both.
  for (const key of ['pluginDefaults', 'taskDefaults'] as const) {
    const value = root[key];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      issues.error([key], `\`${key}\` must be a list`);
      continue;
    }
    value.forEach((item, i) => {
      const path = [key, i];
      if (!isRecord(item) || typeof item.type !== 'string') {
        issues.error(path, 'a plugin default needs a `type` (a task type or a type prefix)');
        return;
      }
      if (item.values !== undefined && !isRecord(item.values)) issues.error([...path, 'values'], '`values` must be a map');
      if (item.forced !== undefined && typeof item.forced !== 'boolean') issues.error([...path, 'forced'], '`forced` must be true or false');
      out.push({ type: item.type, values: isRecord(item.values) ? item.values : {}, forced: item.forced === true });
    });
  }
  return out;
}

function readConcurrency(value: unknown, issues: IssueList): FlowSpec['concurrency'] {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    issues.error(['concurrency'], '`concurrency` must be a map with `limit` and optionally `behavior`');
    return undefined;
  }
  const { limit, behavior = 'QUEUE' } = value;
  const validLimit = typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 ? limit : undefined;
  const validBehavior = BEHAVIORS.find((b) => b === behavior);
  if (validLimit === undefined) {
    issues.error(limit === undefined ? ['concurrency'] : ['concurrency', 'limit'], '`concurrency.limit` must be a positive integer');
  }
  if (!validBehavior) issues.error(['concurrency', 'behavior'], `\`concurrency.behavior\` must be one of ${BEHAVIORS.join(', ')}`);
  return validLimit !== undefined && validBehavior ? { limit: validLimit, behavior: validBehavior } : undefined;
}
