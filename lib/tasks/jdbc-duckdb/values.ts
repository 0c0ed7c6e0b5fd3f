/** DuckDB values into the shared row model, keeping decimals exact and timestamps typed. */
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUnionValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { isoFromEpochMicros, SqlDate, SqlDecimal, SqlTimestamp, type SqlValue } from '../jdbc-common/values';

function timestamp(micros: bigint, zoned: boolean, fallback: string): SqlValue {
  const iso = isoFromEpochMicros(micros, zoned);
  return iso === undefined ? fallback : new SqlTimestamp(iso, zoned);
}

export function fromDuckDb(value: DuckDBValue): SqlValue {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof DuckDBDecimalValue) return new SqlDecimal(value.toString());
  if (value instanceof DuckDBTimestampValue) return timestamp(value.micros, false, value.toString());
  if (value instanceof DuckDBTimestampTZValue) return timestamp(value.micros, true, value.toString());
  if (value instanceof DuckDBTimestampMillisecondsValue) return timestamp(value.millis * 1000n, false, value.toString());
  if (value instanceof DuckDBTimestampSecondsValue) return timestamp(value.seconds * 1_000_000n, false, value.toString());
  if (value instanceof DuckDBTimestampNanosecondsValue) return timestamp(value.nanos / 1000n, false, value.toString());
  if (value instanceof DuckDBDateValue) return value.isFinite ? new SqlDate(value.toString()) : value.toString();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(fromDuckDb);
  if (value instanceof DuckDBStructValue) {
    const out: { [key: string]: SqlValue } = {};
    for (const [k, v] of Object.entries(value.entries)) out[k] = fromDuckDb(v);
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    const out: { [key: string]: SqlValue } = {};
    for (const { key, value: v } of value.entries) out[String(key)] = fromDuckDb(v);
    return out;
  }
  if (value instanceof DuckDBUnionValue) return fromDuckDb(value.value);
  if (value instanceof DuckDBBlobValue) return value.bytes;
  return value.toString();
}

/** A JSON-typed column arrives as text; nested JSON should survive as structure. */
export function columnConverter(type: DuckDBType): (value: DuckDBValue) => SqlValue {
  if (type.alias === 'JSON') {
    return (value) => {
      if (typeof value !== 'string') return fromDuckDb(value);
      try {
        return JSON.parse(value) as SqlValue;
      } catch {
        return value;
      }
    };
  }
  return fromDuckDb;
}
