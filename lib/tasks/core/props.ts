/**
 * Reading a task's raw YAML properties with its schema, and rendering them the way Kestra
 * does, with errors that name the task and the property.
 */
import type * as z from 'zod';
import { TaskError, type RunContext } from '../types';
import { lenient, type LazySchema } from '../schema';

/**
 * Checks the raw task against its schema; the error lists every bad property by path. Unknown
 * properties are left out here: validation reports those written on the task, and those a
 * pluginDefaults prefix adds are ignored, as Kestra does.
 */
export function readProps<S extends z.ZodType>(schema: LazySchema<S>, ctx: Pick<RunContext, 'task'>): z.infer<S> {
  const result = lenient(schema()).safeParse(ctx.task);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(task)'}: ${i.message}`).join('; ');
  throw new TaskError(`task "${ctx.task.id}" has invalid properties: ${problems}`);
}

/** Renders a property that must end up a string. */
export function renderText(ctx: RunContext, value: unknown): string {
  return ctx.renderString(value);
}

/** Renders an optional property; absent stays absent. */
export function renderOptional(ctx: Pick<RunContext, 'renderString'>, value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : ctx.renderString(value);
}

/** Kestra's boolean coercion for rendered properties (`"true"`, `true`, `"1"`). */
export function renderBoolean(ctx: Pick<RunContext, 'renderString'>, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  const text = ctx.renderString(value).trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0' || text === '') return false;
  throw new TaskError(`expected true or false, got "${text}"`);
}

/** Renders a map (or a template that renders to a JSON object) into a string-to-value record. */
export function renderRecord(ctx: Pick<RunContext, 'render'>, value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  let rendered = ctx.render(value);
  if (typeof rendered === 'string') {
    try {
      rendered = JSON.parse(rendered);
    } catch (err) {
      throw new TaskError(`${what} must be a map or a JSON object, got "${rendered}"`, { cause: err });
    }
  }
  if (typeof rendered !== 'object' || rendered === null || Array.isArray(rendered)) {
    throw new TaskError(`${what} must be a map, got ${Array.isArray(rendered) ? 'a list' : typeof rendered}`);
  }
  return rendered as Record<string, unknown>;
}

/** Renders a map whose values must be strings (headers, env, labels). */
export function renderStringRecord(ctx: RunContext, value: unknown, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(renderRecord(ctx, value, what))) {
    out[k] = typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}
