/**
 * A sidecar index of a line file (an Ion STORE result, one record per line): the byte
 * offset where every block of records starts, and the record count. With it a preview
 * seeks to any page instead of reading every line before it, and knows the total without
 * counting. STORE writes it as it writes the file; a reader builds it once for a file
 * that has none. It lives outside internal storage (a file there would show up among an
 * execution's files) and names the file's size and mtime, so a changed file is never
 * read through a stale index.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';

export interface LineIndex {
  /** Size and mtime of the file when it was indexed. */
  size: number;
  mtimeMs: number;
  /** Records (non-blank lines) in the file. */
  records: number;
  /** Pairs, flattened: record number, byte offset where that record's line starts; ascending. */
  marks: number[];
}

const VERSION = 1;

/** Where the index of `file` lives: one directory for all, named by the file's absolute path. */
export function lineIndexPath(file: string): string {
  const key = createHash('sha1').update(path.resolve(file)).digest('hex');
  return path.join(os.tmpdir(), 'flowbook-line-index', `${key}.json`);
}

/** Collects marks while a file is written, a block (a batch of whole records) at a time. */
export class LineIndexBuilder {
  private records = 0;
  private bytes = 0;
  private readonly marks: number[] = [];

  /** A block of `records` lines, `bytes` long, written right after the previous one. */
  add(records: number, bytes: number): void {
    if (records === 0) return;
    this.marks.push(this.records, this.bytes);
    this.records += records;
    this.bytes += bytes;
  }

  /** Writes the index of the finished `file`; a failure only costs a later reader a scan. */
  async save(file: string): Promise<void> {
    try {
      const stat = await fsp.stat(file);
      if (stat.size !== this.bytes) return;
      await writeLineIndex(file, { size: stat.size, mtimeMs: stat.mtimeMs, records: this.records, marks: this.marks });
    } catch {
      // The index is a shortcut, never the data: without it the preview scans once.
    }
  }
}

export async function writeLineIndex(file: string, index: LineIndex): Promise<void> {
  const dest = lineIndexPath(file);
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  const partial = `${dest}.${process.pid}.${Date.now()}.partial`;
  await fsp.writeFile(partial, JSON.stringify({ version: VERSION, file: path.resolve(file), ...index }));
  await fsp.rename(partial, dest);
}

/** The index of `file` if one exists and still matches the file. */
export async function readLineIndex(file: string): Promise<LineIndex | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(lineIndexPath(file), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const stat = fs.statSync(file);
    const parsed = JSON.parse(text) as Partial<LineIndex> & { version?: number; file?: string };
    if (parsed.version !== VERSION || parsed.file !== path.resolve(file)) return undefined;
    if (parsed.size !== stat.size || parsed.mtimeMs !== stat.mtimeMs) return undefined;
    if (typeof parsed.records !== 'number' || !Array.isArray(parsed.marks)) return undefined;
    return { size: parsed.size, mtimeMs: parsed.mtimeMs, records: parsed.records, marks: parsed.marks };
  } catch {
    return undefined;
  }
}

/** The last mark at or before `record`: where to start reading, and how many records to skip from there. */
export function seekFor(index: LineIndex, record: number): { byte: number; skip: number } {
  const count = index.marks.length / 2;
  if (count === 0 || index.marks[0] > record) return { byte: 0, skip: record };
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.marks[2 * mid] <= record) lo = mid;
    else hi = mid - 1;
  }
  return { byte: index.marks[2 * lo + 1], skip: record - index.marks[2 * lo] };
}
