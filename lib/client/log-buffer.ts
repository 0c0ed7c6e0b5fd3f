/**
 * The log lines of one execution, merged from a snapshot and live pushes. Lines carry a
 * seq assigned by the database; anything at or below the last seq seen is a repeat (a
 * snapshot after a reconnect overlapping the live stream) and is dropped.
 */
import type { LogDto } from '@/lib/contract';

export interface LogBuffer {
  lastSeq: number;
  all: LogDto[];
  /** Lines per task id; execution-level lines sit under the empty string. */
  byTask: Map<string, LogDto[]>;
}

export function emptyLogBuffer(): LogBuffer {
  return { lastSeq: 0, all: [], byTask: new Map() };
}

/**
 * Appends lines in seq order, skipping repeats. Mutates the buffer in place because a
 * running task can print 100k lines and copying them per line would be quadratic; the
 * returned count tells the caller whether anything changed.
 */
export function appendLogs(buffer: LogBuffer, lines: readonly LogDto[]): number {
  let added = 0;
  for (const line of lines) {
    if (line.seq <= buffer.lastSeq) continue;
    buffer.lastSeq = line.seq;
    buffer.all.push(line);
    const key = line.taskId ?? '';
    let list = buffer.byTask.get(key);
    if (!list) {
      list = [];
      buffer.byTask.set(key, list);
    }
    list.push(line);
    added++;
  }
  return added;
}
