/**
 * Splitting a stored file into batch files by its lines, as Kestra's StorageService.split does
 * for ForEachItem (core/src/main/java/io/kestra/core/services/StorageService.java): by
 * `regexPattern` (the first group routes a line; lines that do not match are dropped), else by
 * `bytes`, else by `partitions` (round robin), else by `rows`. Each line is written followed by
 * `separator`. Streams: a batch is written as its lines are read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';

export type SplitRule =
  | { kind: 'regex'; pattern: RegExp }
  | { kind: 'bytes'; max: number }
  | { kind: 'partitions'; count: number }
  | { kind: 'rows'; max: number };

/** Writes a file line by line, waiting when the stream asks to. */
class BatchWriter {
  private readonly out: fs.WriteStream;
  bytes = 0;
  rows = 0;

  constructor(readonly file: string) {
    this.out = fs.createWriteStream(file);
  }

  async write(text: string): Promise<void> {
    const chunk = Buffer.from(text, 'utf8');
    this.bytes += chunk.length;
    this.rows += 1;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** Splits `source` into files in `dir` named `<n><extension>`; returns them in batch order, empty ones left out. */
export async function splitLines(source: Readable, dir: string, extension: string, separator: string, rule: SplitRule): Promise<string[]> {
  const writers: BatchWriter[] = [];
  const newWriter = () => {
    const w = new BatchWriter(path.join(dir, `${writers.length}${extension}`));
    writers.push(w);
    return w;
  };
  const routes = new Map<string, BatchWriter>();
  if (rule.kind === 'partitions') for (let i = 0; i < rule.count; i++) newWriter();
  let current: BatchWriter | undefined;
  let next = 0;
  // node:readline loads when a file is first read line by line, not at start.
  const lines = process.getBuiltinModule('node:readline').createInterface({ input: source, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const row = line + separator;
      switch (rule.kind) {
        case 'regex': {
          const key = rule.pattern.exec(line)?.[1];
          if (key === undefined) continue;
          let w = routes.get(key);
          if (!w) routes.set(key, (w = newWriter()));
          await w.write(row);
          break;
        }
        case 'partitions':
          await writers[next].write(row);
          next = (next + 1) % writers.length;
          break;
        case 'bytes':
        case 'rows': {
          // A new batch starts once the current one has reached the limit (before this line is added).
          const full = current !== undefined && (rule.kind === 'bytes' ? current.bytes >= rule.max : current.rows >= rule.max);
          if (current === undefined || full) current = newWriter();
          await current.write(row);
          break;
        }
      }
    }
  } finally {
    await Promise.all(writers.map((w) => w.close()));
  }
  return writers.filter((w) => w.rows > 0).map((w) => w.file);
}

const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** A size as Kestra's `batch.bytes` reads it (Micronaut's readable bytes): `1048576`, `512KB`, `10MB`, `1GB`. */
export function parseReadableBytes(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([KMGT]?B)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = BYTE_UNITS[(m[2] ?? '').toUpperCase()];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

/** The split properties Kestra's StorageSplitInterface declares (storage.Split, ForEachItem's `batch`), unrendered. */
export interface SplitSpec {
  rows?: unknown;
  bytes?: unknown;
  partitions?: unknown;
  regexPattern?: unknown;
}

/**
 * The rule in Kestra's order of precedence (StorageService.split): regexPattern, bytes,
 * partitions, then rows (default `defaultRows`). `fail(message)` builds the error that names
 * the task and the property.
 */
export function readSplitRule(render: (value: unknown) => string, spec: SplitSpec, defaultRows: number | undefined, fail: (message: string) => Error): SplitRule | undefined {
  const positive = (value: unknown, property: string) => {
    const n = typeof value === 'number' ? value : Number(render(value));
    if (!Number.isInteger(n) || n < 1) throw fail(`${property} must be a whole number of 1 or more, got ${JSON.stringify(value)}`);
    return n;
  };
  if (spec.regexPattern !== undefined) {
    const text = render(spec.regexPattern);
    try {
      return { kind: 'regex', pattern: new RegExp(text) };
    } catch {
      throw fail(`regexPattern "${text}" is not a valid pattern`);
    }
  }
  if (spec.bytes !== undefined) {
    const text = render(spec.bytes);
    const max = parseReadableBytes(text);
    if (max === undefined || max < 1) throw fail(`bytes: Invalid size with value '${text}' (a size such as 10MB)`);
    return { kind: 'bytes', max };
  }
  if (spec.partitions !== undefined) return { kind: 'partitions', count: positive(spec.partitions, 'partitions') };
  if (spec.rows !== undefined) return { kind: 'rows', max: positive(spec.rows, 'rows') };
  return defaultRows === undefined ? undefined : { kind: 'rows', max: defaultRows };
}
