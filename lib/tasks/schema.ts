/**
 * Schema building blocks for task properties. Kestra lets almost any property be a
 * `{{ … }}` expression, so a typed property accepts either its type or a template string.
 */
import * as z from 'zod';
import { isFlowableType } from '../flow/children';

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

/**
 * Properties every task accepts, whatever its type: the fields of Kestra's base class
 * `io.kestra.core.models.tasks.Task` (core/src/main/java/io/kestra/core/models/tasks/Task.java):
 * id, type, version, pluginDefaultsRef, description, retry, timeout, disabled, workerGroup,
 * logLevel, allowFailure, logToFile, runIf, allowWarning, taskCache and assets. Kestra has no
 * `outputs` on a task: that is a flow property.
 */
export const commonTaskProperties = {
  id: z.string(),
  type: z.string(),
  version: z.string().optional(),
  pluginDefaultsRef: z.string().optional(),
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
  taskCache: z.record(z.string(), z.unknown()).optional(),
  assets: z.record(z.string(), z.unknown()).optional(),
};

const childTasks = z.array(z.object({ id: z.string(), type: z.string() }).passthrough());

/**
 * `errors` and `finally`: every flowable task has them (Kestra's FlowableTask `getErrors()`,
 * and lib/flow/children.ts lists them for each flowable), no runnable task does.
 */
export const flowableHandlerProperties = {
  errors: childTasks.optional().describe('Tasks to run when a task of this one fails.'),
  finally: childTasks.optional().describe('Tasks to run after this one, whether it succeeded or failed.'),
};

/**
 * Object schema for a task: common properties plus its own, and nothing else. Kestra parses a
 * flow with Jackson's FAIL_ON_UNKNOWN_PROPERTIES (YamlParser's STRICT_MAPPER), so a typo such
 * as `mesage:` is an error there, not a property silently ignored; the issue is zod's
 * `unrecognized_keys`, which validation turns into an error at the key.
 */
export function taskSchema<S extends z.ZodRawShape>(shape: () => S) {
  return lazily(() =>
    z.strictObject({ ...commonTaskProperties, ...flowableHandlerProperties, ...shape() }).superRefine((task, ctx) => {
      const { type } = task as { type?: unknown };
      if (typeof type === 'string' && isFlowableType(type)) return;
      const handlers = Object.keys(flowableHandlerProperties).filter((key) => (task as Record<string, unknown>)[key] !== undefined);
      if (handlers.length > 0) ctx.addIssue({ code: 'unrecognized_keys', keys: handlers, input: task, message: `Unrecognized key(s): ${handlers.join(', ')}` });
    }),
  );
}

/**
 * A task type's schema, built the first time it is asked for. A zod schema costs microseconds
 * to build, and the catalog declares about seventy task types: built eagerly, they were a
 * tenth of a `flowbook run` and of the server's start, for flows that use a handful.
 */
export type LazySchema<T extends z.ZodType = z.ZodType> = () => T;

/** `build()` once, on the first call. */
export function lazily<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/**
 * The same schema without the strictness, for reading a task at run time: the engine hands a
 * task with pluginDefaults applied, and Kestra applies those leniently (PluginDefaultService
 * parses the merged flow with `strict = false`), so a prefix default may add a property this
 * type does not have.
 */
export function lenient<S extends z.ZodType>(schema: S): S {
  if (!(schema instanceof z.ZodObject)) return schema;
  let stripped = LENIENT.get(schema);
  if (!stripped) {
    stripped = schema.strip();
    LENIENT.set(schema, stripped);
  }
  return stripped as unknown as S;
}

const LENIENT = new WeakMap<z.ZodObject, z.ZodObject>();
