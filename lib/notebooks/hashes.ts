/**
 * Fingerprints recorded on each task run so staleness can tell later whether the cell,
 * or the flow-level parts it reads, changed since it ran.
 */
import { createHash } from 'node:crypto';
import type { FlowSpec, RawTask } from '../flow';

/** Stable JSON: object keys sorted, so reformatting the YAML does not count as a change. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The task's definition, as data (comments and layout do not count). */
export function sourceHash(task: RawTask): string {
  return sha(stableJson(task));
}

const INPUT_REF = /\binputs\.([A-Za-z0-9_-]+)|\binputs\[\s*['"]([^'"]+)['"]\s*\]/g;
const VAR_REF = /\bvars\.([A-Za-z0-9_-]+)|\bvars\[\s*['"]([^'"]+)['"]\s*\]/g;

function refs(text: string, pattern: RegExp): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(pattern)) out.add(m[1] ?? m[2]);
  return [...out].sort();
}

/** Names of the inputs and variables a task reads, following variables that read others. */
export function flowRefsOf(flow: FlowSpec, task: RawTask): { inputs: string[]; vars: string[] } {
  const text = stableJson(task);
  const inputs = new Set(refs(text, INPUT_REF));
  const vars = new Set<string>();
  const queue = refs(text, VAR_REF);
  while (queue.length) {
    const name = queue.shift() as string;
    if (vars.has(name)) continue;
    vars.add(name);
    const value = stableJson(flow.variables[name] ?? null);
    for (const i of refs(value, INPUT_REF)) inputs.add(i);
    queue.push(...refs(value, VAR_REF));
  }
  return { inputs: [...inputs].sort(), vars: [...vars].sort() };
}

/** Hash of the inputs, variables and plugin defaults this task uses. */
export function contextHash(flow: FlowSpec, task: RawTask): string {
  const { inputs, vars } = flowRefsOf(flow, task);
  const used = {
    inputs: inputs.map((id) => flow.inputs.find((i) => i.id === id)?.raw ?? null),
    vars: vars.map((name) => flow.variables[name] ?? null),
    pluginDefaults: flow.pluginDefaults.filter((d) => task.type === d.type || task.type.startsWith(d.type.endsWith('.') ? d.type : d.type + '.')),
  };
  return sha(stableJson(used));
}
