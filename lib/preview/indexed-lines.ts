/**
 * Pages of an uncompressed Ion file through its line index: a page is a seek to the last
 * mark before it and a read of at most one block plus the page, whatever the file's size,
 * and the total comes from the index instead of a count of every line. STORE writes the
 * index with the file; any other Ion file is scanned once and its index kept.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { readLineIndex, seekFor, writeLineIndex, type LineIndex } from '../tasks/jdbc-common/line-index';

/** Records between two marks of an index this module builds: a page skips at most this many lines. */
const MARK_EVERY = 1024;

const NEWLINE = 10;
const isBlankByte = (b: number) => b === 32 || b === 9 || b === 13;

/** Scans `file` once for its records (non-blank lines), marking every MARK_EVERY-th. */
export async function scanLineIndex(file: string): Promise<LineIndex> {
  const stat = fs.statSync(file);
  const marks: number[] = [];
  let records = 0;
  let position = 0;
  let lineStart = 0;
  let blank = true;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let i = 0;
    while (i < chunk.length) {
      if (blank) {
        const b = chunk[i];
        if (b === NEWLINE) {
          lineStart = position + i + 1;
          i++;
          continue;
        }
        if (isBlankByte(b)) {
          i++;
          continue;
        }
        blank = false;
        if (records % MARK_EVERY === 0) marks.push(records, lineStart);
        records++;
      }
      const newline = chunk.indexOf(NEWLINE, i);
      if (newline === -1) break;
      i = newline + 1;
      lineStart = position + i;
      blank = true;
    }
    position += chunk.length;
  }
  return { size: stat.size, mtimeMs: stat.mtimeMs, records, marks };
}

/** The file's index: the one beside it when it still matches, else a fresh scan (kept for next time). */
export async function lineIndexOf(file: string): Promise<LineIndex> {
  const known = await readLineIndex(file);
  if (known) return known;
  const scanned = await scanLineIndex(file);
  await writeLineIndex(file, scanned).catch(() => undefined);
  return scanned;
}

const isBlankLine = (line: Buffer) => {
  for (const b of line) if (!isBlankByte(b) && b !== 11 && b !== 12) return false;
  return true;
};

/** Records [offset, offset + limit) of `file`, blank lines skipped as Kestra's Ion reader does; and the total. */
export async function indexedLineWindow(file: string, offset: number, limit: number): Promise<{ lines: string[]; total: number }> {
  const index = await lineIndexOf(file);
  if (offset >= index.records) return { lines: [], total: index.records };
  const { byte, skip } = seekFor(index, offset);
  const lines: string[] = [];
  let skipped = 0;
  // Lines before the page are stepped over as bytes: only the page's lines become strings.
  const take = (line: Buffer) => {
    if (isBlankLine(line)) return;
    if (skipped < skip) skipped++;
    else lines.push(line.toString('utf8', 0, line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length));
  };
  const handle = await fsp.open(file, 'r');
  try {
    let position = byte;
    let pending = Buffer.alloc(0);
    const block = Buffer.alloc(256 * 1024);
    while (lines.length < limit) {
      const { bytesRead } = await handle.read(block, 0, block.length, position);
      if (bytesRead === 0) {
        if (pending.length > 0) take(pending);
        break;
      }
      position += bytesRead;
      const buf = pending.length > 0 ? Buffer.concat([pending, block.subarray(0, bytesRead)]) : block.subarray(0, bytesRead);
      let start = 0;
      let newline: number;
      while (lines.length < limit && (newline = buf.indexOf(NEWLINE, start)) !== -1) {
        take(buf.subarray(start, newline));
        start = newline + 1;
      }
      // What follows the last newline is the start of a line the next block ends; copied, as the block is reused.
      pending = Buffer.from(buf.subarray(start));
    }
  } finally {
    await handle.close();
  }
  return { lines: lines.slice(0, limit), total: index.records };
}
