import { describe, expect, it } from 'vitest';
import { toJson, writeOutput } from './json-writer';
import { JavaDouble, MapEntry, formatDouble, javaToString } from './values';

describe('Java number and collection printing', () => {
  it.each([
    [3, '3.0'], [2.5, '2.5'], [1e7, '1.0E7'], [1.5e-7, '1.5E-7'], [0.001, '0.001'], [-0, '-0.0'], [Infinity, 'Infinity'],
  ])('Double.toString(%d) is %s', (x, s) => {
    expect(formatDouble(x)).toBe(s);
  });

  it('writes maps and lists as compact JSON and keeps doubles as doubles', () => {
    expect(writeOutput({ a: [1, new JavaDouble(2)], b: null, c: 'x"y' })).toBe('{"a":[1,2.0],"b":null,"c":"x\\"y"}');
  });

  it('uses Java toString for concatenation', () => {
    expect(javaToString({ a: 1, b: [1, 'x'] })).toBe('{a=1, b=[1, x]}');
    expect(javaToString(new MapEntry('k', 2))).toBe('k=2');
  });

  it('writes a bare string as JSON only when asked to', () => {
    expect(writeOutput('plain')).toBe('plain');
    expect(toJson('plain')).toBe('"plain"');
  });
});
