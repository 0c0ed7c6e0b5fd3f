import { describe, expect, it } from 'vitest';
import { diffLines } from './line-diff';

describe('diffLines', () => {
  it('marks a changed line as removed and added, keeping the rest', () => {
    const d = diffLines('id: a\nsql: SELECT 1\nx: y', 'id: a\nsql: SELECT 2\nx: y');
    expect(d.map((l) => `${l.kind}:${l.text}`)).toEqual(['same:id: a', 'del:sql: SELECT 1', 'add:sql: SELECT 2', 'same:x: y']);
  });

  it('reports no change for identical text', () => {
    expect(diffLines('a\nb', 'a\nb').every((l) => l.kind === 'same')).toBe(true);
  });
});
