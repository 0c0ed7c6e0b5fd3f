/**
 * Schema building blocks for task properties. Kestra lets almost any property be a
 * `{{ … }}` expression, so a typed property accepts either its type or a template string.
 */
import { z } from 'zod';

/** A string that contains a Pebble expression or tag. */
export const templateString = z.string().regex(/\{\{|\{%/, 'a template expression');

const TEMPLATE = /\{\{|\{%/;

/**
 * Accepts the given type, or a template string rendered at run time. A bad value is
 * reported with the typed schema's own message ("expected one of TRACE, DEBUG, …"), not
 * with a union's "Invalid input", because that is the mistake people make.
 */
export function dynamic<T extends z.ZodType>(schema: T) {
  return z.custom<z.output<T> | string>().superRefine((value, ctx) => {
    if (typeof value === 'string' && TEMPLATE.test(value)) return;
    const result = schema.safeParse(value);
    if (result.success) return;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: `${issue.message} (or a {{ … }} expression)`, input: value });
    }
  });
}

/** Scalars Kestra coerces to strings when rendering (`message: 42` is fine). */
export const stringish = z.union([z.string(), z.number(), z.boolean()]);

/** ISO-8601 duration such as PT30S, PT1H, P1D. */
export const isoDuration = dynamic(z.string().regex(/^-?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/, 'an ISO-8601 duration like PT30S'));

/** Properties every task accepts, whatever its type. */
export const commonTaskProperties = {
  id: z.string(),
  type: z.string(),
  description: z.string().optional(),
  disabled: z.boolean().optional(),
  allowFailure: z.boolean().optional(),
  allowWarning: z.boolean().optional(),
  timeout: isoDuration.optional(),
  retry: z.record(z.string(), z.unknown()).optional(),
  logLevel: z.string().optional(),
  logToFile: z.boolean().optional(),
  runIf: z.union([z.string(), z.boolean()]).optional(),
  workerGroup: z.unknown().optional(),
};

/** Object schema for a task: common properties plus its own; unknown keys are allowed (Kestra ignores them with a warning). */
export function taskSchema<S extends z.ZodRawShape>(shape: S) {
  return z.object({ ...commonTaskProperties, ...shape }).passthrough();
}
