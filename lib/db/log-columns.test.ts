/**
 * Log lines in columns (the form that crosses to the SQLite writer's thread) come back as
 * the very lines that went in: shared strings, execution-level lines without a task, the
 * order and every seq.
 */
import { describe, expect, it } from 'vitest';
import { fromLogColumns, NONE, toLogColumns } from './log-columns';
import type { LogLineRow } from './hot-writer';

const rows: LogLineRow[] = [
  { executionId: 'e1', seq: 1, level: 'INFO', message: 'Execution started', at: '2026-12-02T10:00:00.000Z' },
  { executionId: 'e1', seq: 2, taskRunId: 't1', taskId: 'print', level: 'INFO', message: 'line 1', at: '2026-12-02T10:00:00.001Z' },
  { executionId: 'e1', seq: 3, taskRunId: 't1', taskId: 'print', level: 'INFO', message: 'line 2', at: '2026-12-02T10:00:00.001Z' },
  { executionId: 'e2', seq: 1, taskRunId: 't2', taskId: 'other', level: 'ERROR', message: '', at: '2026-12-02T10:00:00.002Z' },
  { executionId: 'e1', seq: 4, taskRunId: 't1', taskId: 'print', level: 'WARN', message: 'ünïcode ✓ "quoted"\nnext', at: '2026-12-02T10:00:00.001Z' },
];

describe('log columns', () => {
  it('give back the lines that went in, in order', () => {
    expect(fromLogColumns(toLogColumns(rows))).toEqual(rows);
  });

  it('hold each shared string once', () => {
    const c = toLogColumns(rows);
    expect(c.strings.filter((s) => s === 'e1')).toHaveLength(1);
    expect(c.strings.filter((s) => s === '2026-12-02T10:00:00.001Z')).toHaveLength(1);
    expect(c.taskRunId[0]).toBe(NONE);
    expect(c.message).toEqual(rows.map((r) => r.message));
  });

  it('survive a structured clone (the trip to the writer thread)', () => {
    expect(fromLogColumns(structuredClone(toLogColumns(rows)))).toEqual(rows);
    expect(fromLogColumns(toLogColumns([]))).toEqual([]);
  });
});
