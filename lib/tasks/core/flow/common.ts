/**
 * What every flowable task's schema shares: child task lists, and the `errors` and `finally`
 * branches Kestra gives every flowable (the engine runs them, lib/engine/execution-run.ts).
 */
import * as z from 'zod';
import { dynamic, taskSchema } from '../../schema';
import { isIsoDuration } from '../../../model/duration';
import { TaskError, type FlowableContext, type RawTask } from '../../types';

export const rawTask = z.object({ id: z.string(), type: z.string() }).passthrough();
export const taskList = z.array(rawTask);

/** A duration as java.time.Duration reads it (`PT30S`, `PT5m`), or a template. */
export const javaDuration = dynamic(z.string().refine(isIsoDuration, 'an ISO-8601 duration like PT30S'));

/** A flowable's schema: its own properties plus `errors` and `finally`. */
export function flowableSchema<S extends z.ZodRawShape>(shape: () => S) {
  return taskSchema(() => ({
    ...shape(),
    errors: taskList.optional().describe('Tasks to run when a task of this group fails, before the failure goes up to the flow.'),
    finally: taskList.optional().describe('Tasks to run after the group, whether it succeeded or failed.'),
  }));
}

/** The tasks of a child list property (already validated by the schema). */
export function tasksOf(value: unknown): RawTask[] {
  return Array.isArray(value) ? value.filter((t): t is RawTask => typeof t === 'object' && t !== null && typeof (t as RawTask).id === 'string') : [];
}

/** Renders an integer property such as `concurrent` (default when absent). */
export function renderInt(ctx: Pick<FlowableContext, 'renderString' | 'task'>, value: unknown, fallback: number, what: string): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'number' ? value : Number(ctx.renderString(value));
  if (!Number.isInteger(n) || n < 0) throw new TaskError(`task "${ctx.task.id}": ${what} must be a whole number of 0 or more, got ${JSON.stringify(value)}`);
  return n;
}
