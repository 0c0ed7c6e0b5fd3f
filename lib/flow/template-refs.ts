/** Finding data references inside Pebble templates, without rendering them. */

/** `{{ … }}` expressions and `{% … %}` tags of a string. */
export function templateBlocks(text: string): string[] {
  const blocks: string[] = [];
  const re = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;
  for (const m of text.matchAll(re)) blocks.push(m[1] ?? m[2] ?? '');
  return blocks;
}

/** Every string inside a value (map values, list items), in order. */
export function stringsIn(value: unknown, skipKeys?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const visit = (v: unknown, top: boolean): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach((item) => visit(item, false));
    else if (typeof v === 'object' && v !== null) {
      for (const [key, item] of Object.entries(v)) if (!(top && skipKeys?.has(key))) visit(item, false);
    }
  };
  visit(value, true);
  return out;
}

const OUTPUTS = /(?<![\w.])outputs(?:\.([A-Za-z0-9_]+)|\[\s*(['"])([^'"]+)\2\s*\])((?:\s*\.\s*[A-Za-z_]\w*|\[[^\]]*\])*)/g;
const RENDERED_VAR = /\brender(?:Once)?\(\s*vars\.([A-Za-z_]\w*)/g;

export interface OutputRef {
  taskId: string;
  path: string;
}

/** `outputs.<id>…` references of one expression. */
export function outputRefsIn(expression: string): OutputRef[] {
  const refs: OutputRef[] = [];
  for (const m of expression.matchAll(OUTPUTS)) {
    const taskId = m[1] ?? m[3];
    if (taskId) refs.push({ taskId, path: (m[4] ?? '').replace(/^\s*\.\s*/, '') });
  }
  return refs;
}

/** Variables an expression renders with `render(vars.x)`: their templates run in this task. */
export function renderedVarsIn(expression: string): string[] {
  return [...expression.matchAll(RENDERED_VAR)].map((m) => m[1]);
}

/**
 * Replaces `{{ render(vars.x) }}` and `{{ vars.x }}` with the variable's own text, so a table
 * or URL reads `public.{{inputs.taxi}}_tripdata` rather than `{{render(vars.table)}}`.
 */
export function inlineVars(text: string, variables: Record<string, unknown>, depth = 0): string {
  if (depth > 10) return text;
  return text.replace(/\{\{\s*(?:render(?:Once)?\(\s*vars\.([A-Za-z_]\w*)\s*\)|vars\.([A-Za-z_]\w*))\s*\}\}/g, (whole, a: string | undefined, b: string | undefined) => {
    const value = variables[a ?? b ?? ''];
    return typeof value === 'string' ? inlineVars(value, variables, depth + 1) : whole;
  });
}

/**
 * Replaces `{{ inputs.x }}` with the input's default when it has a scalar one, so a data
 * trace reads `public.yellow_tripdata` rather than `public.{{inputs.taxi}}_tripdata`.
 * Anything else stays as written.
 */
export function inlineInputDefaults(text: string, defaults: ReadonlyMap<string, unknown>): string {
  return text.replace(/\{\{\s*inputs\.([A-Za-z_][\w-]*)\s*\}\}/g, (whole, id: string) => {
    const value = defaults.get(id);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : whole;
  });
}
