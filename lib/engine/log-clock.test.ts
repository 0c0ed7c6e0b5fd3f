import { describe, expect, it } from 'vitest';
import { logTimestamp } from './log-clock';

describe('logTimestamp', () => {
  it('is the ISO text of the millisecond given, the same text within one millisecond', () => {
    expect(logTimestamp(Date.UTC(2026, 11, 2, 10, 0, 0, 5))).toBe('2026-12-02T10:00:00.005Z');
    expect(logTimestamp(Date.UTC(2026, 11, 2, 10, 0, 0, 5))).toBe('2026-12-02T10:00:00.005Z');
    expect(logTimestamp(Date.UTC(2026, 11, 2, 10, 0, 0, 6))).toBe('2026-12-02T10:00:00.006Z');
    const now = Date.now();
    expect(Date.parse(logTimestamp())).toBeGreaterThanOrEqual(now);
  });
});
