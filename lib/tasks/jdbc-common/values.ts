/**
 * The values a SQL row can hold, kept precise until the last moment: a decimal stays its
 * exact text and a timestamp keeps its offset (or lack of one), so STORE can write real
 * Ion decimals and timestamps while FETCH turns them into plain JSON.
 */

/** An exact decimal (`NUMERIC`, `DECIMAL`), as the database printed it. */
export class SqlDecimal {
  constructor(readonly text: string) {}
}

/**
 * A point in time. `iso` is `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by an offset
 * (`Z`, `+05:30`) when the column has a time zone, and nothing when it does not.
 */
export class SqlTimestamp {
  constructor(
    readonly iso: string,
    readonly zoned: boolean,
  ) {}
}

/** A calendar date, `YYYY-MM-DD`. */
export class SqlDate {
  constructor(readonly iso: string) {}
}

export type SqlValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | SqlDecimal
  | SqlTimestamp
  | SqlDate
  | Uint8Array
  | SqlValue[]
  | { [key: string]: SqlValue };

export type SqlRow = Record<string, SqlValue>;

/** JSON as outputs hold it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Up to 15 significant digits survive a round trip through a double. */
function decimalFitsNumber(text: string): boolean {
  const digits = text.replace(/^[-+]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '');
  return digits.replace(/0+$/, '').length <= 15 && Number.isFinite(Number(text));
}

/** A value as FETCH outputs show it: numbers when exact, ISO strings for dates and times. */
export function toJsonValue(value: SqlValue): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof SqlDecimal) return decimalFitsNumber(value.text) ? Number(value.text) : value.text;
  if (value instanceof SqlTimestamp) return value.iso;
  if (value instanceof SqlDate) return value.iso;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
  return out;
}

export function rowToJson(row: SqlRow): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(row)) out[k] = toJsonValue(v);
  return out;
}

/** Builds an ISO timestamp from microseconds since the epoch, keeping the microseconds. */
export function isoFromEpochMicros(micros: bigint, zoned: boolean): string | undefined {
  let ms = micros / 1000n;
  let rest = micros - ms * 1000n;
  if (rest < 0n) {
    ms -= 1n;
    rest += 1000n;
  }
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  const base = date.toISOString().slice(0, 23); // YYYY-MM-DDTHH:MM:SS.mmm
  const fraction = `${base.slice(20)}${String(rest).padStart(3, '0')}`.replace(/0+$/, '');
  return `${base.slice(0, 19)}${fraction ? '.' + fraction : ''}${zoned ? 'Z' : ''}`;
}
