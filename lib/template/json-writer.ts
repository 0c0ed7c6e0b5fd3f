/**
 * Output as Kestra's `JsonWriter` writes it: maps and lists become compact JSON (Jackson),
 * scalars are written with Java's `toString`, and null writes nothing.
 */
import { JavaDouble, MapEntry, dateText, asNumber, formatDouble, isList, isMap, javaToString } from './values';

/** Jackson `writeValueAsString` with Kestra's mapper: compact, nulls kept in maps and lists. */
export function toJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  const n = asNumber(value);
  if (n) {
    if (!Number.isFinite(n.value)) return JSON.stringify(formatDouble(n.value));
    return n.double || value instanceof JavaDouble ? formatDouble(n.value) : String(n.value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'null' : JSON.stringify(value.toISOString());
  if (value instanceof MapEntry) return `{${JSON.stringify(value.key)}:${toJson(value.value)}}`;
  if (isList(value)) return `[${value.map(toJson).join(',')}]`;
  if (isMap(value)) {
    return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${toJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(String(value));
}

/** What `{{ value }}` writes into the rendered string. */
export function writeOutput(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (isList(value) || isMap(value)) return toJson(value);
  if (value instanceof MapEntry) return javaToString(value);
  if (value instanceof Date) return dateText(value);
  const n = asNumber(value);
  if (n) return n.double ? formatDouble(n.value) : String(n.value);
  return String(value);
}
