/**
 * Line-oriented files read as a stream: Ion (one record per line, as STORE writes it) and
 * plain text. Lines before the page are skipped unparsed; reading stops after the page.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import * as ion from 'ion-js';
import type { JsonValue } from '../tasks/jdbc-common/values';
import type { PreviewColumn } from './types';
import { readIonRecord } from './ion-line';

export function openLines(file: string, compressed: boolean): { lines: AsyncIterable<string>; close(): void } {
  const raw = fs.createReadStream(file);
  const stream: Readable = compressed ? raw.pipe(zlib.createGunzip()) : raw;
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  return {
    lines: rl,
    close: () => {
      rl.close();
      raw.destroy();
      stream.destroy();
    },
  };
}

/** Lines [offset, offset + limit), skipping blank ones as Kestra's Ion reader does. */
export async function readLineWindow(file: string, compressed: boolean, offset: number, limit: number, skipBlank: boolean): Promise<string[]> {
  const { lines, close } = openLines(file, compressed);
  const out: string[] = [];
  let index = 0;
  try {
    for await (const line of lines) {
      if (skipBlank && line.trim() === '') continue;
      if (index++ < offset) continue;
      out.push(line);
      if (out.length >= limit) break;
    }
  } finally {
    close();
  }
  return out;
}

/** Counts lines by scanning bytes for newlines: no string per line, so it stays fast and flat. */
export async function countLines(file: string, compressed: boolean): Promise<number> {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const stream: Readable = compressed ? raw.pipe(zlib.createGunzip()) : raw;
  let count = 0;
  let last = 10;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let i = -1;
    while ((i = chunk.indexOf(10, i + 1)) !== -1) count++;
    if (chunk.length > 0) last = chunk[chunk.length - 1];
  }
  return last === 10 ? count : count + 1;
}

const ION_TYPE_NAMES: Record<string, string> = {
  null: 'NULL',
  bool: 'BOOLEAN',
  int: 'BIGINT',
  float: 'DOUBLE',
  decimal: 'DECIMAL',
  timestamp: 'TIMESTAMP',
  symbol: 'VARCHAR',
  string: 'VARCHAR',
  clob: 'BLOB',
  blob: 'BLOB',
  list: 'LIST',
  sexp: 'LIST',
  struct: 'STRUCT',
};

function ionToJson(value: ion.dom.Value | null): JsonValue {
  if (value === null || value.isNull()) return null;
  switch (value.getType()) {
    case ion.IonTypes.BOOL:
      return value.booleanValue();
    case ion.IonTypes.INT: {
      const big = value.bigIntValue();
      return big !== null && big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : String(big);
    }
    case ion.IonTypes.FLOAT:
      return value.numberValue();
    case ion.IonTypes.DECIMAL: {
      const text = value.decimalValue()?.toString() ?? null;
      return text !== null && Number.isFinite(Number(text)) && String(Number(text)).replace(/^-/, '').length <= 16 ? Number(text) : text;
    }
    case ion.IonTypes.TIMESTAMP: {
      const ts = value.timestampValue();
      if (!ts) return null;
      // Unknown offset (-00:00) is local time: show it without a zone, as it was stored.
      const text = ts.toString();
      return text.endsWith('-00:00') ? text.slice(0, -6) : text;
    }
    case ion.IonTypes.STRING:
    case ion.IonTypes.SYMBOL:
      return value.stringValue();
    case ion.IonTypes.BLOB:
    case ion.IonTypes.CLOB:
      return Buffer.from(value.uInt8ArrayValue() ?? new Uint8Array()).toString('base64');
    case ion.IonTypes.LIST:
    case ion.IonTypes.SEXP:
      return value.elements().map(ionToJson);
    case ion.IonTypes.STRUCT: {
      const out: { [k: string]: JsonValue } = {};
      for (const [k, v] of value.fields()) out[k] = ionToJson(v);
      return out;
    }
    default:
      return String(value);
  }
}

/**
 * Ion lines into columns (union of field names, in first-seen order) and rows. Plain
 * records go through the fast reader; `fullReader` sends every line through ion-js.
 */
export function ionPage(lines: string[], opts: { fullReader?: boolean } = {}): { columns: PreviewColumn[]; rows: unknown[][] } {
  const types = new Map<string, string>();
  const records: Map<string, JsonValue>[] = [];
  for (const line of lines) {
    const record = new Map<string, JsonValue>();
    records.push(record);
    const plain = opts.fullReader ? undefined : readIonRecord(line);
    if (plain) {
      for (const [k, { value, type }] of plain) {
        const known = types.get(k);
        if (known === undefined || known === 'NULL') types.set(k, type);
        record.set(k, value);
      }
      continue;
    }
    const value = ion.load(line);
    if (value && value.getType() === ion.IonTypes.STRUCT && !value.isNull()) {
      for (const [k, v] of value.fields()) {
        const type = v.isNull() ? 'NULL' : (ION_TYPE_NAMES[v.getType().name] ?? 'VARCHAR');
        const known = types.get(k);
        if (known === undefined || known === 'NULL') types.set(k, type);
        record.set(k, ionToJson(v));
      }
    } else {
      if (!types.has('value')) types.set('value', value ? (ION_TYPE_NAMES[value.getType().name] ?? 'VARCHAR') : 'NULL');
      record.set('value', ionToJson(value));
    }
  }
  const columns = [...types].map(([name, type]) => ({ name, type }));
  return { columns, rows: records.map((r) => columns.map((c) => r.get(c.name) ?? null)) };
}

/** Ion lines to NDJSON, so DuckDB can sort a whole Ion file. */
export async function ionToNdjson(file: string, compressed: boolean, dest: string): Promise<void> {
  const { lines, close } = openLines(file, compressed);
  const out = fs.createWriteStream(dest);
  try {
    let batch = '';
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const { columns, rows } = ionPage([line]);
      const record: Record<string, unknown> = {};
      columns.forEach((c, i) => (record[c.name] = rows[0][i]));
      batch += JSON.stringify(record) + '\n';
      if (batch.length > 1 << 20) {
        if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        batch = '';
      }
    }
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(batch, () => resolve());
    });
  } finally {
    close();
  }
}
