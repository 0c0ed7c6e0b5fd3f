import { describe, expect, it } from 'vitest';
import type { LogDto } from '@/lib/contract';
import { appendLogs, emptyLogBuffer } from './log-buffer';

const line = (seq: number, taskId?: string): LogDto => ({
  seq,
  executionId: 'e1',
  taskId,
  level: 'INFO',
  message: `line ${seq}`,
  at: '2024-01-01T00:00:00Z',
});

describe('appendLogs', () => {
  it('keeps lines in order and groups them by task', () => {
    const b = emptyLogBuffer();
    expect(appendLogs(b, [line(1, 'a'), line(2, 'b'), line(3, 'a'), line(4)])).toBe(4);
    expect(b.all.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(b.byTask.get('a')?.map((l) => l.seq)).toEqual([1, 3]);
    expect(b.byTask.get('')?.map((l) => l.seq)).toEqual([4]);
    expect(b.lastSeq).toBe(4);
  });

  it('drops lines a reconnect snapshot repeats', () => {
    const b = emptyLogBuffer();
    appendLogs(b, [line(1, 'a'), line(2, 'a')]);
    expect(appendLogs(b, [line(2, 'a'), line(3, 'a')])).toBe(1);
    expect(b.all.map((l) => l.message)).toEqual(['line 1', 'line 2', 'line 3']);
  });
});
