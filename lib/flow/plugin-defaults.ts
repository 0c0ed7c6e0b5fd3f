/**
 * pluginDefaults, as Kestra's PluginDefaultService applies them: to every map with a `type`
 * (tasks, nested taskRunner, ...), matched by exact type or type prefix; the task's own values
 * win unless the default is `forced`.
 */
import type { PluginDefault } from './types';

export type { PluginDefault };

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where `over` wins; lists are replaced, not concatenated (MapUtils.merge). */
export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isMap(v) && isMap(out[k]) ? deepMerge(out[k] as Json, v) : v;
  }
  return out;
}

function matches(type: string, key: string): boolean {
  return type === key || type.startsWith(key);
}

/**
 * Applies defaults to one task map and every nested map with a `type`, except nested
 * child task lists of flowable tasks: those are tasks of their own and get defaults when they run.
 */
export function applyPluginDefaults<T extends Json>(task: T, defaults: readonly PluginDefault[], childListKeys: ReadonlySet<string> = new Set()): T {
  if (defaults.length === 0) return task;
  const apply = (node: Json, isRoot: boolean): Json => {
    let result: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if (isRoot && childListKeys.has(k)) result[k] = v;
      else if (isMap(v)) result[k] = apply(v, false);
      else result[k] = v;
    }
    const type = result.type;
    if (typeof type === 'string') {
      for (const d of defaults) {
        if (!matches(type, d.type)) continue;
        result = d.forced ? deepMerge(result, d.values) : deepMerge(d.values, result);
      }
    }
    return result;
  };
  return apply(task, true) as T;
}
