/**
 * The runtime value model. Templates see plain JSON-like data: strings, booleans, null,
 * numbers, arrays (Java lists) and plain objects (Java maps). Two Java distinctions need
 * extra types because JavaScript numbers and objects cannot carry them:
 * - a Java `double` whose value is whole (3.0 prints "3.0", a `long` 3 prints "3"); any
 *   other JS number is a long when it is an integer and a double otherwise;
 * - a map entry met while iterating a map in `{% for %}` (Pebble iterates `entrySet()`).
 */
import { isPlainMap } from '../model/maps';

/** A date as text: ISO-8601, or "Invalid Date" (as JavaScript prints one) for a date that holds no time. */
export function dateText(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString();
}

export class JavaDouble {
  constructor(readonly value: number) {}
}

export class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
}

export type TemplateMap = Record<string, unknown>;

export function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** A plain object (JSON map or a map literal); Dates, class instances and arrays are not maps. */
export const isMap: (value: unknown) => value is TemplateMap = isPlainMap;

export function hasOwn(map: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** A map built by the engine itself: no prototype, so no key can reach Object.prototype. */
export function newMap(entries: Iterable<readonly [string, unknown]> = []): TemplateMap {
  const map: TemplateMap = Object.create(null) as TemplateMap;
  for (const [k, v] of entries) map[k] = v;
  return map;
}

export interface JavaNumber {
  value: number;
  /** true for Java double, false for Java long. */
  double: boolean;
}

export function asNumber(value: unknown): JavaNumber | undefined {
  if (value instanceof JavaDouble) return { value: value.value, double: true };
  if (typeof value === 'number') return { value, double: !Number.isInteger(value) };
  if (typeof value === 'bigint') return { value: Number(value), double: false };
  return undefined;
}

export function isNumber(value: unknown): boolean {
  return asNumber(value) !== undefined;
}

/** Wraps a double result so that whole values keep printing as doubles ("3.0"). */
export function makeDouble(value: number): number | JavaDouble {
  return Number.isInteger(value) ? new JavaDouble(value) : value;
}

/** Java `Double.toString`. */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

export function formatNumber(n: JavaNumber): string {
  return n.double ? formatDouble(n.value) : String(n.value);
}

/** Java `String.valueOf(x)`, as Pebble uses for `~` and string arguments. */
export function javaToString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  const n = asNumber(value);
  if (n) return formatNumber(n);
  if (value instanceof Date) return dateText(value);
  if (value instanceof MapEntry) return `${value.key}=${javaToString(value.value)}`;
  if (isList(value)) return `[${value.map(javaToString).join(', ')}]`;
  if (isMap(value)) {
    return `{${Object.keys(value).map((k) => `${k}=${javaToString(value[k])}`).join(', ')}}`;
  }
  return String(value);
}

/** Pebble equality: numbers by value across long/double, everything else by Java `equals`. */
export function javaEquals(a: unknown, b: unknown): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na && nb) return na.value === nb.value;
  if (na || nb) return false;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (isList(a)) return isList(b) && a.length === b.length && a.every((v, i) => javaEquals(v, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => hasOwn(b, k) && javaEquals(a[k], b[k]));
  }
  if (a instanceof MapEntry) return b instanceof MapEntry && a.key === b.key && javaEquals(a.value, b.value);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  return a === b;
}

/** A short type name for error messages, in the words a flow author knows. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  const n = asNumber(value);
  if (n) return n.double ? 'double' : 'long';
  if (isList(value)) return 'list';
  if (isMap(value)) return 'map';
  if (value instanceof MapEntry) return 'map entry';
  if (value instanceof Date) return 'date';
  return typeof value;
}

/** Converts runtime values back to plain JavaScript for callers outside the engine. */
export function toNative(value: unknown): unknown {
  if (value instanceof JavaDouble) return value.value;
  if (value instanceof MapEntry) return { key: value.key, value: toNative(value.value) };
  if (isList(value)) return value.map(toNative);
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      Object.defineProperty(out, k, { value: toNative(value[k]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
