import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';

function split(chunks: (string | Buffer)[]): string[] {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.end();
  return lines;
}

describe('LineSplitter', () => {
  it('joins partial lines across chunks', () => {
    expect(split(['hel', 'lo\nwor', 'ld\n'])).toEqual(['hello', 'world']);
  });
  it('treats CRLF as one break, even split between chunks', () => {
    expect(split(['a\r\nb\r', '\nc'])).toEqual(['a', 'b', 'c']);
  });
  it('treats a lone CR as a break', () => {
    expect(split(['10%\r20%\rdone\n'])).toEqual(['10%', '20%', 'done']);
  });
  it('keeps blank lines', () => {
    expect(split(['a\n\nb\n'])).toEqual(['a', '', 'b']);
  });
  it('never splits a UTF-8 character between chunks', () => {
    const bytes = Buffer.from('héllo €\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toEqual(['héllo €']);
  });
  it('flushes a last line without newline', () => {
    expect(split(['tail'])).toEqual(['tail']);
  });
});
