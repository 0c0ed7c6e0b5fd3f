import { describe, expect, it } from 'vitest';
import { tokenize } from './lexer';

const kinds = (src: string) => tokenize(src).map((t) => ('value' in t ? `${t.type}:${t.value}` : t.type));

describe('tokenize', () => {
  it('matches word operators only when no identifier character follows', () => {
    expect(kinds('{{ orange or android }}')).toEqual(['printStart', 'name:orange', 'operator:or', 'name:android', 'printEnd', 'eof']);
  });

  it('prefers the longest operator: "is not", "???"', () => {
    expect(kinds('{{ a is not b ??? c }}')).toEqual([
      'printStart', 'name:a', 'operator:is not', 'name:b', 'operator:???', 'name:c', 'printEnd', 'eof',
    ]);
  });

  it('reads 1..3 as a range, not a double', () => {
    expect(kinds('{{1..3}}')).toEqual(['printStart', 'number:1', 'operator:..', 'number:3', 'printEnd', 'eof']);
  });

  it('does not end a print tag on "}}" inside a map literal', () => {
    expect(kinds("{{ {'a': {'b': 1}} }}").filter((k) => k === 'printEnd')).toHaveLength(1);
  });

  it('keeps "{{-x}}" as unary minus: trimming needs whitespace after the dash', () => {
    expect(kinds(' {{-x}}')).toEqual(['text: ', 'printStart', 'operator:-', 'name:x', 'printEnd', 'eof']);
  });

  it('reports an unclosed tag with its line and column', () => {
    expect(() => tokenize('a\n{{ x')).toThrow(/^Unclosed "\{\{"[\s\S]* at line 2, column 5$/);
  });
});
