/** Task checks: ids, types, duplicates anywhere in the flow, and property types from the task catalog the caller brings. */
import * as z from 'zod';
import { applyPluginDefaults } from './plugin-defaults';
import { childPropertyNames, isFlowableType } from './children';
import type { ReferenceEnvironment } from './references';
import { didYouMean } from './suggest';
import type { IssueList } from './issues';
import { formatPath } from './positions';
import { isRecord, rawTaskEntries } from './walk';
import type { PluginDefault, YamlPath } from './types';

export const TASK_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
export const MAX_ID_LENGTH = 100;

/** What the flow model needs to know of a task type: the schema of its properties and the names of its outputs. */
export interface TaskTypeSchema {
  /** Strict: a property it does not name is an unknown property (zod's `unrecognized_keys`). Built when first asked for. */
  properties: () => z.ZodType;
  /**
   * The outputs the type produces, read as `outputs.<id>.<name>`; what lies below a name (a
   * script's `vars.<key>`, `outputFiles['a.csv']`) is not declared. Absent: not declared, so
   * references to the type's outputs are not checked.
   */
  outputs?: readonly string[];
}

export type DefinitionLookup = (type: string) => TaskTypeSchema | undefined;

export interface TaskCheckOptions {
  /**
   * Where task types are looked up (lib/tasks/catalog.ts binds the task registry). A type it
   * does not know is kept with a warning, as it can be exported but not run here.
   */
  lookup: DefinitionLookup;
  /** What exists outside the flow (secrets, KV pairs), for the reference check; without it those are not checked. */
  environment?: ReferenceEnvironment;
}

interface TaskCheckContext extends TaskCheckOptions {
  /** Kestra applies these before validating, so a `url` set only there is not missing. */
  pluginDefaults: readonly PluginDefault[];
}

/** Checks every task list of the flow root; returns false when some task is unusable (not a map, no id or type). */
export function checkTasks(root: Record<string, unknown>, issues: IssueList, options: TaskCheckContext): boolean {
  const { lookup } = options;
  let usable = true;
  const seen = new Map<string, YamlPath>();

  for (const list of ['tasks', 'errors', 'finally', 'afterExecution']) {
    const value = root[list];
    if (value !== undefined && value !== null && !Array.isArray(value)) {
      issues.error([list], `\`${list}\` must be a list of tasks`);
      if (list === 'tasks') usable = false;
    }
  }

  for (const entry of rawTaskEntries(root)) {
    const { value, path } = entry;
    if (!isRecord(value)) {
      issues.error(path, 'a task must be a map with at least `id` and `type`');
      usable = false;
      continue;
    }
    const id = typeof value.id === 'string' ? value.id : undefined;
    if (value.id === undefined || value.id === null) {
      issues.error(path, 'task is missing `id`');
      usable = false;
    } else if (id === undefined) {
      issues.error([...path, 'id'], 'task `id` must be a string');
      usable = false;
    } else if (!TASK_ID.test(id) || id.length > MAX_ID_LENGTH) {
      issues.error([...path, 'id'], `invalid task id ${JSON.stringify(id)}: use letters, digits, "_" and "-", starting with a letter or digit, at most ${MAX_ID_LENGTH} characters`, id);
    }
    if (id !== undefined) {
      const first = seen.get(id);
      if (first) {
        issues.error([...path, 'id'], `duplicate task id ${JSON.stringify(id)}: also used by ${formatPath(first)} at ${issues.positionText([...first, 'id'])}`, id);
      } else {
        seen.set(id, path);
      }
    }

    if (value.type === undefined || value.type === null) {
      issues.error(path, `task ${id ? JSON.stringify(id) + ' ' : ''}is missing \`type\``, id);
      usable = false;
      continue;
    }
    if (typeof value.type !== 'string') {
      issues.error([...path, 'type'], 'task `type` must be a string', id);
      usable = false;
      continue;
    }
    const definition = lookup(value.type);
    if (!definition) {
      issues.warning([...path, 'type'], `task type ${value.type} is not supported locally: it is kept and exported as written, but cannot run here`, id);
      continue;
    }
    const effective = applyPluginDefaults(value, options.pluginDefaults, childPropertyNames(value));
    checkProperties(definition.properties(), value, effective, path, issues, id);
  }
  return usable;
}

/**
 * Checks a task's properties with pluginDefaults applied. Unknown properties are reported only
 * when written on the task itself: Kestra reads the flow as written strictly but merges
 * pluginDefaults leniently (PluginDefaultService parses the merged flow with `strict = false`),
 * so a default for a type prefix may carry properties some of its types do not have.
 */
function checkProperties(schema: z.ZodType, raw: Record<string, unknown>, task: Record<string, unknown>, path: YamlPath, issues: IssueList, taskId?: string): void {
  const result = schema.safeParse(task);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const sub = issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (!hasKey(valueAt(raw, sub), key)) continue;
        const known = knownKeys(schema, sub).filter((name) => sub.length > 0 || isFlowableType(String(raw.type)) || !FLOWABLE_HANDLERS.has(name));
        const owner = sub.length ? `\`${formatPath(sub)}\`` : String(raw.type);
        issues.add('error', [...path, ...sub, key], `unknown property \`${key}\`: ${owner} has no such property, and Kestra rejects the flow${didYouMean(key, known)}`, taskId, true);
      }
      continue;
    }
    const where = sub.length ? `\`${formatPath(sub)}\`` : 'task';
    const missing = valueAt(task, sub) === undefined;
    const message = missing ? `${where} is required (set it on the task or in pluginDefaults)` : `${where}: ${issue.message}`;
    issues.error([...path, ...sub], message, taskId);
  }
}

const FLOWABLE_HANDLERS = new Set(['errors', 'finally']);

function hasKey(value: unknown, key: string): boolean {
  return isRecord(value) && Object.prototype.hasOwnProperty.call(value, key);
}

/** The property names an object schema declares at a path below it, for "did you mean". */
function knownKeys(schema: z.ZodType, path: (string | number)[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of [...path, undefined]) {
    while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    if (segment === undefined) break;
    current = current instanceof z.ZodObject && typeof segment === 'string' ? (current.shape as Record<string, z.ZodType>)[segment] : undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isRecord(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}
