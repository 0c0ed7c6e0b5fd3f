/**
 * Kestra's `VariableRenderer`: a string with no `{` is returned as is; single-line
 * `{% raw %}...{% endraw %}` blocks are set aside before Pebble runs and put back after;
 * rendering is non-recursive unless `render()` asks for it.
 */
import { randomUUID } from 'node:crypto';
import { EvalContext } from './context';
import { MAX_DEPTH } from './context';
import { TemplateError } from './errors';
import { collectMacros, evaluate, renderNodes } from './evaluate';
import type { TemplateHost } from './host';
import { parseExpression, parseTemplate } from './parser';
import { isList, isMap, newMap, toNative, type TemplateMap } from './values';

/** Kestra's `RAW_PATTERN`: no DOTALL, so a raw block must open and close on one line. */
const RAW_PATTERN = /\{%-*\s*raw\s*-*%\}(.*?)\{%-*\s*endraw\s*-*%\}/g;
export const MAX_RENDERING_AMOUNT = 100;

/** One Pebble pass; raw blocks come back still wrapped in their tags (`renderOnce`). */
function renderPass(template: string, variables: TemplateMap, host: TemplateHost, renderDepth: number): string {
  const replacers = new Map<string, string>();
  const protectedText = template.replace(RAW_PATTERN, (whole) => {
    const key = randomUUID();
    replacers.set(key, whole);
    return key;
  });
  const nodes = parseTemplate(protectedText, template);
  const ctx = new EvalContext(variables, host, template, (value, vars, recursive, depth) => renderObject(value, vars, host, recursive, depth), renderDepth);
  ctx.macros = collectMacros(nodes);
  let result = renderNodes(nodes, ctx);
  for (const [key, raw] of replacers) result = result.replaceAll(key, raw);
  return result;
}

function renderRecursively(template: string, variables: TemplateMap, host: TemplateHost, renderDepth: number): string {
  let current = template;
  for (let count = 0; ; count++) {
    if (count > MAX_RENDERING_AMOUNT) throw new TemplateError('Too many rendering attempts', { template });
    const next = renderPass(current, variables, host, renderDepth);
    if (next === current) return next;
    current = next;
  }
}

function renderString(template: string, variables: TemplateMap, host: TemplateHost, recursive: boolean, renderDepth: number): string {
  if (!template.includes('{')) return template;
  const rendered = recursive
    ? renderRecursively(template, variables, host, renderDepth)
    : renderPass(template, variables, host, renderDepth);
  return rendered.replace(RAW_PATTERN, (_whole, inner: string) => inner);
}

function renderObject(value: unknown, variables: TemplateMap, host: TemplateHost, recursive: boolean, renderDepth: number): unknown {
  if (renderDepth > MAX_DEPTH) throw new TemplateError(`Rendering nested more than ${MAX_DEPTH} levels deep`);
  if (typeof value === 'string') return renderString(value, variables, host, recursive, renderDepth);
  if (isList(value)) return value.map((v) => renderObject(v, variables, host, recursive, renderDepth + 1));
  if (isMap(value)) {
    const out = newMap();
    for (const key of Object.keys(value)) {
      const renderedKey = renderString(key, variables, host, recursive, renderDepth);
      // Kestra keeps the first value when two keys render to the same text (putIfAbsent).
      if (!Object.prototype.hasOwnProperty.call(out, renderedKey)) {
        out[renderedKey] = renderObject(value[key], variables, host, recursive, renderDepth + 1);
      }
    }
    return out;
  }
  return value;
}

/** Renders one string. Non-recursive (Kestra default): if the output contains {{ }}, it stays literal. */
export function renderTemplate(template: string, variables: Record<string, unknown>, host: TemplateHost): string {
  return renderString(template, variables, host, false, 0);
}

/** Renders maps/lists element-wise (keys too), strings via renderTemplate, other scalars unchanged. */
export function renderValue(value: unknown, variables: Record<string, unknown>, host: TemplateHost): unknown {
  return toNative(renderObject(value, variables, host, false, 0));
}

/** Evaluates a single expression (no braces) to its native value — used for If conditions / typed rendering. */
export function evaluateExpression(expr: string, variables: Record<string, unknown>, host: TemplateHost): unknown {
  const ast = parseExpression(expr);
  const ctx = new EvalContext(variables, host, expr, (value, vars, recursive, depth) => renderObject(value, vars, host, recursive, depth), 0);
  ctx.tag = { text: expr, pos: { line: 1, column: 1 } };
  return toNative(evaluate(ast, ctx));
}
