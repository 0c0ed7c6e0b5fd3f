import { describe, expect, it } from 'vitest';
import { computeStaleness, type CellFacts } from './staleness';

const cell = (taskId: string, run?: CellFacts['run'], extra: Partial<CellFacts> = {}): CellFacts => ({
  taskId,
  ancestorIds: [],
  sourceHash: `src-${taskId}`,
  contextHash: 'ctx',
  run,
  ...extra,
});
const ran = (taskId: string, start: string, end: string) => ({ startDate: `2024-01-01T00:00:${start}Z`, endDate: `2024-01-01T00:00:${end}Z`, sourceHash: `src-${taskId}`, contextHash: 'ctx' });

describe('staleness', () => {
  it('a cell that never ran, or ran after everything before it, is fresh', () => {
    const v = computeStaleness([cell('a', ran('a', '01', '02')), cell('b', ran('b', '03', '04')), cell('c')]);
    expect([...v.values()]).toEqual([{ stale: false }, { stale: false }, { stale: false }]);
  });

  it('a changed definition makes the cell stale', () => {
    const v = computeStaleness([cell('a', { ...ran('a', '01', '02'), sourceHash: 'old' })]);
    expect(v.get('a')).toEqual({ stale: true, reason: 'the cell changed since it last ran' });
  });

  it('an earlier cell that re-ran after a later one makes the later one stale, naming it', () => {
    const v = computeStaleness([cell('a', ran('a', '05', '06')), cell('b', ran('b', '03', '04')), cell('c', ran('c', '07', '08'))]);
    expect(v.get('a')).toEqual({ stale: false });
    expect(v.get('b')).toEqual({ stale: true, reason: 'cell "a" ran again after this one' });
    expect(v.get('c')).toEqual({ stale: false });
  });

  it('a parent ending after its children does not make them stale', () => {
    const v = computeStaleness([
      cell('parent', ran('parent', '01', '09')),
      cell('child', ran('child', '02', '03'), { ancestorIds: ['parent'] }),
    ]);
    expect(v.get('child')).toEqual({ stale: false });
  });

  it('a change in the flow-level parts a cell uses makes it stale', () => {
    const v = computeStaleness([cell('a', { ...ran('a', '01', '02'), contextHash: 'before' })]);
    expect(v.get('a')).toMatchObject({ stale: true, reason: expect.stringContaining('inputs, variables or plugin defaults') });
  });
});
