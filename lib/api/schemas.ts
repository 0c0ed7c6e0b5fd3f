/** Request schemas for the API routes (zod), next to the types they produce. */
import * as z from 'zod';

const MAX_YAML = 2_000_000;

export const createNotebookSchema = z.object({ yaml: z.string().max(MAX_YAML) });
export const updateNotebookSchema = z.object({ yaml: z.string().max(MAX_YAML), version: z.number().int().positive() });
const editedVersion = z.number().int().positive();
/** A code, source or note save says which notebook version it edited (lost updates are refused). */
export const patchCellSchema = z.union([
  z.object({ code: z.string().max(MAX_YAML), version: editedVersion }).strict(),
  z.object({ source: z.string().max(MAX_YAML), version: editedVersion }).strict(),
  z.object({ note: z.string().max(MAX_YAML).nullable(), version: editedVersion }).strict(),
]);
export const insertCellSchema = z.object({ afterTaskId: z.string().nullable(), source: z.string().max(MAX_YAML) });
export const startRunSchema = z.object({
  mode: z.enum(['all', 'cell', 'from', 'upTo']).default('all'),
  taskId: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  triggerDate: z.iso.datetime({ offset: true }).optional(),
  triggerId: z.string().min(1).optional(),
});
export const resumeExecutionSchema = z.object({ inputs: z.record(z.string(), z.unknown()).optional() }).strict();
export const saveInputsSchema = z.object({ values: z.record(z.string(), z.unknown()) }).strict();
export const startPostgresSchema = z.object({ port: z.number().int().min(1).max(65535).optional() }).strict();
export const logsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
});
export const previewQuerySchema = z.object({
  uri: z.string().startsWith('kestra:///'),
  offset: z.coerce.number().int().min(0).default(0),
  // Up to the preview's own cap: a chart of a stored result reads its first 10,000 rows at once.
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  sort: z.string().optional(),
  dir: z.enum(['asc', 'desc']).default('asc'),
});
export const settingsSchema = z.object({ hostAliases: z.record(z.string(), z.string()) });
export const secretValueSchema = z.object({ value: z.string().max(1_000_000) });
export const kvValueSchema = z.object({
  value: z.unknown(),
  type: z.enum(['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON']).optional(),
  ttlSeconds: z.number().int().positive().optional(),
});
export const backfillSchema = z.object({
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  inputs: z.record(z.string(), z.unknown()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
export const setScheduleSchema = z.object({ disabled: z.boolean() }).strict();
/** The user's file name is a hint only: the stored name is reduced to a safe basename. */
export const uploadQuerySchema = z.object({ name: z.string().min(1).max(1000) });

/** POST /api/collections?name=course.zip[&replaceFiles=1]: the body is the .zip. */
export const courseImportQuerySchema = z.object({ name: z.string().min(1).max(255), replaceFiles: z.enum(['0', '1']).optional() });
