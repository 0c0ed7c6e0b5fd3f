/** Columns of result rows: names, types, and what a chart can do with each. */
/** A result column as the preview and the wire name it: the same shape as the contract's PreviewColumn, kept here so charts depend on nothing. */
export interface PreviewColumn {
  name: string;
  type: string;
}

/** How a chart treats a column: numbers on a linear axis, times on a time axis, else labels. */
export type ColumnKind = 'number' | 'time' | 'text';

export interface ColumnInfo extends PreviewColumn {
  kind: ColumnKind;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

function firstValue(values: readonly unknown[]): unknown {
  return values.find((v) => v !== null && v !== undefined);
}

/**
 * A type name for inline rows (fetched into the outputs). Their JSON keeps no database
 * types (10.0 arrives as 10), so the names say only what the values are.
 */
export function typeOfValues(values: readonly unknown[]): string {
  const v = firstValue(values);
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (v !== undefined && typeof v === 'object') return 'json';
  if (typeof v === 'string' && ISO_DATE.test(v)) return v.length === 10 ? 'date' : 'timestamp';
  return v === undefined ? 'null' : 'text';
}

/** Columns of row objects: every key in first-seen order, typed from the values. */
export function columnsOfRecords(rows: readonly Record<string, unknown>[]): PreviewColumn[] {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return names.map((name) => ({ name, type: typeOfValues(rows.map((r) => r[name])) }));
}

const NUMBER_TYPE = /^(NUMBER|TINYINT|SMALLINT|INTEGER|INT\d*|BIGINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|UHUGEINT|FLOAT\d*|REAL|DOUBLE|DECIMAL|NUMERIC)\b/i;
const TIME_TYPE = /^(DATE|TIMESTAMP|DATETIME)/i;

/** Whether a value reads as a number (Ion decimals too precise for a double arrive as text). */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** Milliseconds since the epoch; a time without a zone is read as UTC so axes never shift. */
export function toTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return undefined;
  const zoned = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(v) && v.length > 10;
  const text = v.length === 10 ? `${v}T00:00:00Z` : zoned ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}Z`;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

/** What kind of axis a column can be, from its declared type, checked against its values. */
export function columnKind(column: PreviewColumn, values: readonly unknown[]): ColumnKind {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (NUMBER_TYPE.test(column.type)) return 'number';
  if (TIME_TYPE.test(column.type)) return 'time';
  if (present.length === 0) return 'text';
  if (present.every((v) => typeof v === 'number')) return 'number';
  if (present.every((v) => toTime(v) !== undefined)) return 'time';
  return 'text';
}

/** Columns with their chart kind, judged on the rows at hand. */
export function describeColumns(columns: readonly PreviewColumn[], rows: readonly unknown[][]): ColumnInfo[] {
  return columns.map((c, i) => ({ ...c, kind: columnKind(c, rows.map((r) => r[i])) }));
}

/** Orders cells for an in-browser sort: numbers by value, nulls last, the rest as text. */
export function compareCells(a: unknown, b: unknown): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const as = typeof a === 'object' ? JSON.stringify(a) : String(a);
  const bs = typeof b === 'object' ? JSON.stringify(b) : String(b);
  return as.localeCompare(bs, undefined, { numeric: true });
}

/** Rows sorted by one column, nulls last in both directions (as the server sorts). */
export function sortRows(rows: readonly unknown[][], index: number, dir: 'asc' | 'desc'): unknown[][] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((x, y) => {
    const a = x[index];
    const b = y[index];
    const aNull = a === null || a === undefined;
    const bNull = b === null || b === undefined;
    if (aNull || bNull) return compareCells(a, b);
    return sign * compareCells(a, b);
  });
}
