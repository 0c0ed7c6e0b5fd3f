/**
 * DuckDB result chunks straight into STORE's Ion lines, a column at a time. The row path
 * (a DuckDB value object per cell, a SqlRow per row, then the Ion writer) costs several
 * allocations per cell; here the common column types are read from DuckDB's own vector
 * memory and written as UTF-8 bytes directly into a buffer, each value formatted once and
 * no string built: a JS string per cell, joined into a chunk, then re-encoded for the file,
 * cost more than DuckDB took to compute the values. Every other type (lists, structs, maps,
 * JSON, huge integers, out-of-range timestamps…) goes through the row path's converters
 * cell by cell, so a file is byte for byte what the row path writes.
 */
import { isUtf8 } from 'node:buffer';
import bindings from '@duckdb/node-bindings';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import { ionFieldName, ionValue } from '../jdbc-common/ion-writer';
import { columnConverter } from './values';
import {
  FixedText,
  IonBytes,
  INTEGER_BOUND,
  NULL_TEXT,
  decimalBound,
  putDecimal,
  putEscapedString,
  putFraction,
  putInteger,
  putPlainString,
  putTwoDigits,
  stringBound,
} from './ion-bytes';

/** Writes the Ion text of row `r` of the chunk being encoded at `out.pos`. */
type Cell = (out: IonBytes, r: number) => void;
/** Reads one column of a chunk: its raw bytes, its validity mask, or its typed vector. */
type ColumnReader = (chunk: DuckDBDataChunk, column: number, rows: number, type: DuckDBType) => Cell;
/**
 * How a column type is written. `bound` is the most bytes a value of it takes, room the
 * row reserves for it; 0 for a type whose values have no bound (strings, the row path's
 * text), whose cells reserve their own.
 */
interface ColumnKind {
  read: ColumnReader;
  bound: number;
}

const MICROS_PER_DAY = 86_400_000_000;
/** Past 2^53 µs (years before 1685 or after 2255) a double loses microseconds: the row path takes those. */
const SAFE_MICROS = Number.MAX_SAFE_INTEGER;

function rawColumn(chunk: DuckDBDataChunk, column: number, rows: number, width: number): { data: Uint8Array; valid: Uint8Array | null } {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, column);
  const data = bindings.vector_get_data(vector, rows * width);
  // A vector without nulls has no mask at all; the bindings then hand back null.
  const valid = (bindings.vector_get_validity(vector, Math.ceil(rows / 64) * 8) as Uint8Array | null) ?? null;
  return { data, valid };
}

const isValid = (valid: Uint8Array | null, r: number) => valid === null || (valid[r >> 3] & (1 << (r & 7))) !== 0;

/** A 64-bit integer column as (lo, hi) 32-bit halves, read without a BigInt per value. */
function int64Column(chunk: DuckDBDataChunk, column: number, rows: number) {
  const { data, valid } = rawColumn(chunk, column, rows, 8);
  return { halves: new Int32Array(data.buffer, data.byteOffset, rows * 2), valid };
}

/** The exact value when it fits a double's integers, else undefined. */
function int64At(halves: Int32Array, r: number, unsigned: boolean): number | undefined {
  const lo = halves[2 * r] >>> 0;
  const hi = unsigned ? halves[2 * r + 1] >>> 0 : halves[2 * r + 1];
  if (hi >= 0x200000 || hi < -0x200000) return undefined;
  return hi * 4294967296 + lo;
}

function putNull(out: IonBytes): void {
  out.pos = NULL_TEXT.put(out.view, out.pos);
}

/** Falls back to the row path for one cell: the vector's value through the row converters. */
function slowCell(chunk: DuckDBDataChunk, column: number, type: DuckDBType): Cell {
  const vector = chunk.getColumnVector(column);
  const convert = columnConverter(type);
  return (out, r) => out.text(ionValue(convert(vector.getItem(r))));
}

const slowKind = (type: DuckDBType): ColumnKind => ({ read: (chunk, column) => slowCell(chunk, column, type), bound: 0 });

/** The `YYYY-MM-DDT` of a day since the epoch; the last one is kept, as rows mostly share their day. */
function dayPrefix(): (day: number) => FixedText {
  let lastDay = NaN;
  let lastDate = new FixedText('');
  return (day) => {
    if (day !== lastDay) {
      lastDay = day;
      lastDate = new FixedText(new Date(day * 86_400_000).toISOString().slice(0, 11));
    }
    return lastDate;
  };
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` and the longest offset, `-00:00`. */
const TIMESTAMP_BOUND = 32;

/**
 * `YYYY-MM-DDTHH:MM:SS[.ffffff]` of microseconds since the epoch, trailing zeros of the
 * fraction dropped, as the row path's `isoFromEpochMicros` prints it.
 */
function timestampWriter(): (view: DataView, p: number, micros: number) => number {
  const datePart = dayPrefix();
  return (view, p, micros) => {
    const day = Math.floor(micros / MICROS_PER_DAY);
    p = datePart(day).put(view, p);
    const inDay = micros - day * MICROS_PER_DAY;
    const seconds = Math.floor(inDay / 1_000_000);
    const minutes = (seconds / 60) | 0;
    p = putTwoDigits(view, p, (minutes / 60) | 0);
    view.setUint8(p++, 0x3a); // :
    p = putTwoDigits(view, p, minutes % 60);
    view.setUint8(p++, 0x3a);
    p = putTwoDigits(view, p, seconds % 60);
    return putFraction(view, p, inDay - seconds * 1_000_000);
  };
}

function timestampKind(unitMicros: number, zoned: boolean): ColumnKind {
  const suffix = new FixedText(zoned ? 'Z' : '-00:00');
  const limit = SAFE_MICROS / unitMicros;
  const read: ColumnReader = (chunk, column, rows, type) => {
    const { halves, valid } = int64Column(chunk, column, rows);
    const write = timestampWriter();
    let slow: Cell | undefined;
    return (out, r) => {
      if (!isValid(valid, r)) return putNull(out);
      const v = int64At(halves, r, false);
      if (v === undefined || v > limit || v < -limit) return (slow ??= slowCell(chunk, column, type))(out, r);
      out.pos = suffix.put(out.view, write(out.view, out.pos, v * unitMicros));
    };
  };
  return { read, bound: TIMESTAMP_BOUND };
}

/** Days 0001-01-01 and 9999-12-31 relative to 1970-01-01: Ion's year range. */
const FIRST_DAY = -719_162;
const LAST_DAY = 2_932_896;

const dateKind: ColumnKind = {
  bound: 11,
  read: (chunk, column, rows, type) => {
    const { data, valid } = rawColumn(chunk, column, rows, 4);
    const days = new Int32Array(data.buffer, data.byteOffset, rows);
    const datePart = dayPrefix();
    let slow: Cell | undefined;
    return (out, r) => {
      if (!isValid(valid, r)) return putNull(out);
      const d = days[r];
      if (d < FIRST_DAY || d > LAST_DAY) return (slow ??= slowCell(chunk, column, type))(out, r);
      out.pos = datePart(d).put(out.view, out.pos);
    };
  },
};

function decimalKind(width: number, scale: number): ColumnKind | undefined {
  if (width > 18) return undefined; // 128-bit storage: the row path's BigInt is as good as anything here
  const read: ColumnReader = (chunk, column, rows, type) => {
    if (width <= 9) {
      const { data, valid } = rawColumn(chunk, column, rows, width <= 4 ? 2 : 4);
      const values = width <= 4 ? new Int16Array(data.buffer, data.byteOffset, rows) : new Int32Array(data.buffer, data.byteOffset, rows);
      return (out, r) => {
        if (!isValid(valid, r)) return putNull(out);
        out.pos = putDecimal(out.view, out.pos, values[r], scale);
      };
    }
    const { halves, valid } = int64Column(chunk, column, rows);
    let slow: Cell | undefined;
    return (out, r) => {
      if (!isValid(valid, r)) return putNull(out);
      const v = int64At(halves, r, false);
      if (v === undefined) return (slow ??= slowCell(chunk, column, type))(out, r);
      out.pos = putDecimal(out.view, out.pos, v, scale);
    };
  };
  return { read, bound: decimalBound(scale) };
}

/** Integer columns up to 32 bits: every value is a safe integer, written as its digits. */
function integerKind(bytes: number, view: (data: Uint8Array, rows: number) => ArrayLike<number>): ColumnKind {
  const read: ColumnReader = (chunk, column, rows) => {
    const { data, valid } = rawColumn(chunk, column, rows, bytes);
    const values = view(data, rows);
    return (out, r) => {
      if (!isValid(valid, r)) return putNull(out);
      out.pos = putInteger(out.view, out.pos, values[r]);
    };
  };
  return { read, bound: INTEGER_BOUND };
}

/** Floats keep the row path's text (`ionValue`): shortest round-trip digits, `e0`, `nan`, `±inf`. */
function floatKind(bytes: number, view: (data: Uint8Array, rows: number) => ArrayLike<number>): ColumnKind {
  const read: ColumnReader = (chunk, column, rows) => {
    const { data, valid } = rawColumn(chunk, column, rows, bytes);
    const values = view(data, rows);
    return (out, r) => {
      if (!isValid(valid, r)) return putNull(out);
      out.text(ionValue(values[r]));
    };
  };
  return { read, bound: NULL_TEXT.length };
}

function bigintKind(unsigned: boolean): ColumnKind {
  const read: ColumnReader = (chunk, column, rows, type) => {
    const { halves, valid } = int64Column(chunk, column, rows);
    let slow: Cell | undefined;
    return (out, r) => {
      if (!isValid(valid, r)) return putNull(out);
      const v = int64At(halves, r, unsigned);
      if (v === undefined) return (slow ??= slowCell(chunk, column, type))(out, r);
      out.pos = putInteger(out.view, out.pos, v);
    };
  };
  return { read, bound: INTEGER_BOUND };
}

const TRUE_TEXT = new FixedText('true');
const FALSE_TEXT = new FixedText('false');

const booleanKind: ColumnKind = {
  bound: FALSE_TEXT.length,
  read: (chunk, column, rows) => {
    const { data, valid } = rawColumn(chunk, column, rows, 1);
    return (out, r) => {
      if (!isValid(valid, r)) return putNull(out);
      out.pos = (data[r] !== 0 ? TRUE_TEXT : FALSE_TEXT).put(out.view, out.pos);
    };
  },
};

const utf8 = new TextDecoder();

const startsWithBom = (bytes: Uint8Array, from: number, length: number) =>
  length >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf;

/**
 * A VARCHAR cell's bytes as the row path writes the string: `JSON.stringify` of the text a
 * TextDecoder reads from them. Plain ASCII is copied; valid UTF-8 is copied with JSON's
 * escapes, as decoding then encoding would give it back unchanged; invalid UTF-8 (read with
 * U+FFFD in place of bad sequences) and a leading byte order mark (which the decoder drops)
 * go through the decoder.
 */
function putString(out: IonBytes, src: Uint8Array, from: number, length: number): void {
  out.room(stringBound(length));
  const plain = putPlainString(out.view, out.pos, src, from, length);
  if (plain >= 0) {
    out.pos = plain;
    return;
  }
  const bytes = src.subarray(from, from + length);
  if (isUtf8(bytes) && !startsWithBom(src, from, length)) out.pos = putEscapedString(out.view, out.pos, src, from, length);
  else out.text(JSON.stringify(utf8.decode(bytes)));
}

/** A run's copy stays a passing allocation, however many strings it holds. */
const RUN_BYTES = 1 << 20;

/** Where a VARCHAR vector's out-of-line strings are: in which copy, and where in it. */
interface OutOfLine {
  copies: Uint8Array[];
  /** Per row: the index of the copy holding its string. */
  copyOf: Int32Array;
  /** Per row: where its string starts in that copy. */
  offset: Int32Array;
}

/**
 * The bytes of a vector's strings longer than 12 (DuckDB keeps those out of line), copied
 * from DuckDB's memory a run at a time. A copy per string (a native call and an allocation)
 * cost more than all the rest the encoder does with it, but a vector's strings lie end to
 * end in its string heap: a string that starts within the run so far, or right at its end,
 * extends it, so the run stays one range of memory DuckDB owns and one copy reads it all.
 */
function outOfLineStrings(data: Uint8Array, entries: DataView, valid: Uint8Array | null, rows: number): OutOfLine {
  const copyOf = new Int32Array(rows);
  const offset = new Int32Array(rows);
  /** Per run: the row whose pointer starts it (the copy is read through that pointer), and the bytes it spans. */
  const firstRow: number[] = [];
  const length: number[] = [];
  let start = 0;
  let end = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * 16;
    const n = entries.getUint32(at, true);
    if (n <= 12 || !isValid(valid, r)) continue;
    // x64 addresses have 48 bits: a double holds them exactly.
    const a = entries.getUint32(at + 12, true) * 4294967296 + entries.getUint32(at + 8, true);
    if (firstRow.length === 0 || a < start || a > end || a + n - start > RUN_BYTES) {
      firstRow.push(r);
      start = a;
      end = a;
    }
    end = Math.max(end, a + n);
    length[firstRow.length - 1] = end - start;
    copyOf[r] = firstRow.length - 1;
    offset[r] = a - start;
  }
  const copies = firstRow.map((r, k) => bindings.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + r * 16 + 8, length[k]));
  return { copies, copyOf, offset };
}

/** DuckDB's 16-byte string entries: the length, then the bytes inline (≤ 12) or a pointer to them. */
const varcharKind: ColumnKind = {
  bound: NULL_TEXT.length,
  read: (chunk, column, rows) => {
    const { data, valid } = rawColumn(chunk, column, rows, 16);
    const entries = new DataView(data.buffer, data.byteOffset, rows * 16);
    const { copies, copyOf, offset } = outOfLineStrings(data, entries, valid, rows);
    return (out, r) => {
      if (!isValid(valid, r)) return putNull(out);
      const at = r * 16;
      const length = entries.getUint32(at, true);
      if (length <= 12) return putString(out, data, at + 4, length);
      putString(out, copies[copyOf[r]], offset[r], length);
    };
  },
};

const view = {
  i8: (d: Uint8Array, n: number) => new Int8Array(d.buffer, d.byteOffset, n),
  u8: (d: Uint8Array, n: number) => new Uint8Array(d.buffer, d.byteOffset, n),
  i16: (d: Uint8Array, n: number) => new Int16Array(d.buffer, d.byteOffset, n),
  u16: (d: Uint8Array, n: number) => new Uint16Array(d.buffer, d.byteOffset, n),
  i32: (d: Uint8Array, n: number) => new Int32Array(d.buffer, d.byteOffset, n),
  u32: (d: Uint8Array, n: number) => new Uint32Array(d.buffer, d.byteOffset, n),
  f32: (d: Uint8Array, n: number) => new Float32Array(d.buffer, d.byteOffset, n),
  f64: (d: Uint8Array, n: number) => new Float64Array(d.buffer, d.byteOffset, n),
};

/** How a column type is written fast, or undefined when the row path must write it. */
function kindOf(type: DuckDBType): ColumnKind | undefined {
  if (type.alias !== undefined) return undefined; // JSON and other aliases carry meaning the row path knows
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return booleanKind;
    case DuckDBTypeId.TINYINT:
      return integerKind(1, view.i8);
    case DuckDBTypeId.UTINYINT:
      return integerKind(1, view.u8);
    case DuckDBTypeId.SMALLINT:
      return integerKind(2, view.i16);
    case DuckDBTypeId.USMALLINT:
      return integerKind(2, view.u16);
    case DuckDBTypeId.INTEGER:
      return integerKind(4, view.i32);
    case DuckDBTypeId.UINTEGER:
      return integerKind(4, view.u32);
    case DuckDBTypeId.FLOAT:
      return floatKind(4, view.f32);
    case DuckDBTypeId.DOUBLE:
      return floatKind(8, view.f64);
    case DuckDBTypeId.BIGINT:
      return bigintKind(false);
    case DuckDBTypeId.UBIGINT:
      return bigintKind(true);
    case DuckDBTypeId.DECIMAL:
      return decimalKind(type.width, type.scale);
    case DuckDBTypeId.VARCHAR:
      return varcharKind;
    case DuckDBTypeId.DATE:
      return dateKind;
    case DuckDBTypeId.TIMESTAMP:
      return timestampKind(1, false);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampKind(1, true);
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestampKind(1000, false);
    case DuckDBTypeId.TIMESTAMP_S:
      return timestampKind(1_000_000, false);
    default:
      return undefined;
  }
}

const ROW_END = new FixedText('}\n');
const EMPTY_ROW = new FixedText('{}\n');

/**
 * An encoder for one result's chunks: each call returns the chunk's rows as Ion lines in
 * UTF-8, one struct per line with the columns in result order, newline after each. The
 * bytes are valid until the next call, which writes over them.
 */
export function ionChunkEncoder(names: readonly string[], types: readonly DuckDBType[]): (chunk: DuckDBDataChunk) => Uint8Array {
  const prefixes = names.map((name, c) => new FixedText(`${c === 0 ? '{' : ','}${ionFieldName(name)}:`));
  const kinds = types.map((type) => kindOf(type) ?? slowKind(type));
  const rowBound = kinds.reduce((n, kind, c) => n + prefixes[c].length + kind.bound, EMPTY_ROW.length);
  const out = new IonBytes();
  return (chunk) => {
    const rows = chunk.rowCount;
    const cells = kinds.map((kind, c) => kind.read(chunk, c, rows, types[c]));
    const columns = cells.length;
    for (let r = 0; r < rows; r++) {
      out.row(rowBound);
      if (columns === 0) {
        out.pos = EMPTY_ROW.put(out.view, out.pos);
        continue;
      }
      for (let c = 0; c < columns; c++) {
        out.pos = prefixes[c].put(out.view, out.pos);
        cells[c](out, r);
      }
      out.pos = ROW_END.put(out.view, out.pos);
    }
    return out.take();
  };
}
