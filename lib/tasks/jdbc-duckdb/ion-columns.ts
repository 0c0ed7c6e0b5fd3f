/**
 * DuckDB result chunks straight into STORE's Ion lines, a column at a time. The row path
 * (a DuckDB value object per cell, a SqlRow per row, then the Ion writer) costs several
 * allocations per cell; here the common column types are read from DuckDB's own vector
 * memory and written as text directly, each value formatted once. Every other type (lists,
 * structs, maps, JSON, huge integers, out-of-range timestamps…) goes through the row path's
 * converters cell by cell, so a file is byte for byte what the row path writes.
 */
import bindings from '@duckdb/node-bindings';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import { ionFieldName, ionValue } from '../jdbc-common/ion-writer';
import { columnConverter } from './values';

/** The Ion text of row `r` of the chunk being encoded. */
type Cell = (r: number) => string;
/** Reads one column of a chunk: its raw bytes, its validity mask, or its typed vector. */
type ColumnReader = (chunk: DuckDBDataChunk, column: number, rows: number, type: DuckDBType) => Cell;

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
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

/** Falls back to the row path for one cell: the vector's value through the row converters. */
function slowCell(chunk: DuckDBDataChunk, column: number, type: DuckDBType): (r: number) => string {
  const vector = chunk.getColumnVector(column);
  const convert = columnConverter(type);
  return (r) => ionValue(convert(vector.getItem(r)));
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.ffffff]` of microseconds since the epoch, trailing zeros of the
 * fraction dropped, as the row path's `isoFromEpochMicros` prints it. The date part is
 * cached: a result's timestamps mostly share their day with the row before.
 */
function timestampFormatter(): (micros: number) => string {
  let lastDay = NaN;
  let lastDate = '';
  return (micros) => {
    const day = Math.floor(micros / MICROS_PER_DAY);
    if (day !== lastDay) {
      lastDay = day;
      lastDate = new Date(day * 86_400_000).toISOString().slice(0, 11);
    }
    const inDay = micros - day * MICROS_PER_DAY;
    const seconds = Math.floor(inDay / 1_000_000);
    const fraction = inDay - seconds * 1_000_000;
    const hms = `${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
    if (fraction === 0) return lastDate + hms;
    return `${lastDate}${hms}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}`;
  };
}

function timestampReader(unitMicros: number, zoned: boolean): ColumnReader {
  const suffix = zoned ? 'Z' : '-00:00';
  const limit = SAFE_MICROS / unitMicros;
  return (chunk, column, rows, type) => {
    const { halves, valid } = int64Column(chunk, column, rows);
    const format = timestampFormatter();
    let slow: Cell | undefined;
    return (r) => {
      if (!isValid(valid, r)) return 'null';
      const v = int64At(halves, r, false);
      if (v === undefined || v > limit || v < -limit) return (slow ??= slowCell(chunk, column, type))(r);
      return format(v * unitMicros) + suffix;
    };
  };
}

/** Days 0001-01-01 and 9999-12-31 relative to 1970-01-01: Ion's year range. */
const FIRST_DAY = -719_162;
const LAST_DAY = 2_932_896;

const dateReader: ColumnReader = (chunk, column, rows, type) => {
  const { data, valid } = rawColumn(chunk, column, rows, 4);
  const days = new Int32Array(data.buffer, data.byteOffset, rows);
  let slow: Cell | undefined;
  return (r) => {
    if (!isValid(valid, r)) return 'null';
    const d = days[r];
    if (d < FIRST_DAY || d > LAST_DAY) return (slow ??= slowCell(chunk, column, type))(r);
    return new Date(d * 86_400_000).toISOString().slice(0, 11);
  };
};

/** A scaled integer as Ion decimal text: `12.50`, `-0.01`, `7.` (a decimal point even at scale 0). */
function decimalText(scaled: number, scale: number): string {
  if (scale === 0) return `${scaled}.`;
  const negative = scaled < 0;
  let digits = String(negative ? -scaled : scaled);
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

function decimalReader(width: number, scale: number): ColumnReader | undefined {
  if (width > 18) return undefined; // 128-bit storage: the row path's BigInt is as good as anything here
  return (chunk, column, rows, type) => {
    if (width <= 9) {
      const { data, valid } = rawColumn(chunk, column, rows, width <= 4 ? 2 : 4);
      const values = width <= 4 ? new Int16Array(data.buffer, data.byteOffset, rows) : new Int32Array(data.buffer, data.byteOffset, rows);
      return (r) => (isValid(valid, r) ? decimalText(values[r], scale) : 'null');
    }
    const { halves, valid } = int64Column(chunk, column, rows);
    let slow: Cell | undefined;
    return (r) => {
      if (!isValid(valid, r)) return 'null';
      const v = int64At(halves, r, false);
      return v === undefined ? (slow ??= slowCell(chunk, column, type))(r) : decimalText(v, scale);
    };
  };
}

function numberReader(bytes: number, view: (data: Uint8Array, rows: number) => ArrayLike<number>): ColumnReader {
  return (chunk, column, rows) => {
    const { data, valid } = rawColumn(chunk, column, rows, bytes);
    const values = view(data, rows);
    return (r) => (isValid(valid, r) ? ionValue(values[r]) : 'null');
  };
}

function bigintReader(unsigned: boolean): ColumnReader {
  return (chunk, column, rows, type) => {
    const { halves, valid } = int64Column(chunk, column, rows);
    let slow: Cell | undefined;
    return (r) => {
      if (!isValid(valid, r)) return 'null';
      const v = int64At(halves, r, unsigned);
      return v === undefined ? (slow ??= slowCell(chunk, column, type))(r) : String(v);
    };
  };
}

const booleanReader: ColumnReader = (chunk, column, rows) => {
  const { data, valid } = rawColumn(chunk, column, rows, 1);
  return (r) => (isValid(valid, r) ? (data[r] !== 0 ? 'true' : 'false') : 'null');
};

const utf8 = new TextDecoder();

/** DuckDB's 16-byte string entries: the length, then the bytes inline (≤ 12) or a pointer to them. */
const varcharReader: ColumnReader = (chunk, column, rows) => {
  const { data, valid } = rawColumn(chunk, column, rows, 16);
  const view = new DataView(data.buffer, data.byteOffset, rows * 16);
  return (r) => {
    if (!isValid(valid, r)) return 'null';
    const at = r * 16;
    const length = view.getUint32(at, true);
    const bytes =
      length <= 12
        ? new Uint8Array(data.buffer, data.byteOffset + at + 4, length)
        : bindings.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + at + 8, length);
    return JSON.stringify(utf8.decode(bytes));
  };
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

/** The fast reader of a column type, or undefined when the row path must write it. */
function readerFor(type: DuckDBType): ColumnReader | undefined {
  if (type.alias !== undefined) return undefined; // JSON and other aliases carry meaning the row path knows
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return booleanReader;
    case DuckDBTypeId.TINYINT:
      return numberReader(1, view.i8);
    case DuckDBTypeId.UTINYINT:
      return numberReader(1, view.u8);
    case DuckDBTypeId.SMALLINT:
      return numberReader(2, view.i16);
    case DuckDBTypeId.USMALLINT:
      return numberReader(2, view.u16);
    case DuckDBTypeId.INTEGER:
      return numberReader(4, view.i32);
    case DuckDBTypeId.UINTEGER:
      return numberReader(4, view.u32);
    case DuckDBTypeId.FLOAT:
      return numberReader(4, view.f32);
    case DuckDBTypeId.DOUBLE:
      return numberReader(8, view.f64);
    case DuckDBTypeId.BIGINT:
      return bigintReader(false);
    case DuckDBTypeId.UBIGINT:
      return bigintReader(true);
    case DuckDBTypeId.DECIMAL:
      return decimalReader(type.width, type.scale);
    case DuckDBTypeId.VARCHAR:
      return varcharReader;
    case DuckDBTypeId.DATE:
      return dateReader;
    case DuckDBTypeId.TIMESTAMP:
      return timestampReader(1, false);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampReader(1, true);
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestampReader(1000, false);
    case DuckDBTypeId.TIMESTAMP_S:
      return timestampReader(1_000_000, false);
    default:
      return undefined;
  }
}

/**
 * An encoder for one result's chunks: each call returns the chunk's rows as Ion lines,
 * one struct per line with the columns in result order, newline after each.
 */
export function ionChunkEncoder(names: readonly string[], types: readonly DuckDBType[]): (chunk: DuckDBDataChunk) => string {
  const prefixes = names.map((name, c) => `${c === 0 ? '{' : ','}${ionFieldName(name)}:`);
  const readers: ColumnReader[] = types.map((type, c) => readerFor(type) ?? ((chunk) => slowCell(chunk, c, type)));
  return (chunk) => {
    const rows = chunk.rowCount;
    const cells = readers.map((read, c) => read(chunk, c, rows, types[c]));
    const columns = cells.length;
    let text = '';
    for (let r = 0; r < rows; r++) {
      let line = columns === 0 ? '{' : '';
      for (let c = 0; c < columns; c++) line += prefixes[c] + cells[c](r);
      text += line + '}\n';
    }
    return text;
  };
}
