/**
 * PostgreSQL text values into the shared row model: exact numerics, typed timestamps,
 * parsed JSON. Everything else keeps node-postgres's default parsing.
 */
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';
import { SqlDate, SqlDecimal, SqlTimestamp, type SqlValue } from '../jdbc-common/values';

const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  json: 114,
  jsonb: 3802,
  interval: 1186,
} as const;

/** `2019-01-01 00:46:40.5+05:30` → `2019-01-01T00:46:40.5+05:30`; BC and infinity stay text. */
function timestampFromText(text: string, zoned: boolean): SqlValue {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/.exec(text);
  if (!m) return text;
  if (!zoned) return new SqlTimestamp(`${m[1]}T${m[2]}`, false);
  const offset = m[3] ?? '+00';
  const [, sign, hh, mm = '00', ss] = /^([+-])(\d{2}):?(\d{2})?:?(\d{2})?$/.exec(offset) ?? [];
  if (ss && ss !== '00') return text; // historical second-level offsets have no ISO form
  const iso = hh === '00' && mm === '00' ? 'Z' : `${sign}${hh}:${mm}`;
  return new SqlTimestamp(`${m[1]}T${m[2]}${iso}`, true);
}

function numericFromText(text: string): SqlValue {
  if (/^-?\d+(\.\d+)?$/.test(text)) return new SqlDecimal(text);
  return Number(text.replace(/^(-?)Infinity$/, '$1Infinity'));
}

function jsonFromText(text: string): SqlValue {
  return JSON.parse(text) as SqlValue;
}

const parsers = new Map<number, (text: string) => SqlValue>([
  [OID.int8, (t) => BigInt(t)],
  [OID.numeric, numericFromText],
  [OID.date, (t) => (/^\d{4}-\d{2}-\d{2}$/.test(t) ? new SqlDate(t) : t)],
  [OID.timestamp, (t) => timestampFromText(t, false)],
  [OID.timestamptz, (t) => timestampFromText(t, true)],
  [OID.json, jsonFromText],
  [OID.jsonb, jsonFromText],
  [OID.interval, (t) => t],
]);

export const sqlValueTypes: CustomTypesConfig = {
  // One function cannot satisfy the overloads pg declares for text and binary parsers.
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const own = parsers.get(oid);
    if (own && format !== 'binary') return own;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as CustomTypesConfig['getTypeParser'],
};
