/**
 * Ion text, one record per line, as Kestra's FileSerde writes STORE results. Hand-written
 * rather than through ion-js's writer because that writer costs ~45µs a record, which is
 * minutes for a multi-million-row result; the tests read every shape back with ion-js.
 */
import { SqlDate, SqlDecimal, SqlTimestamp, type SqlRow, type SqlValue } from './values';

function ionDecimal(text: string): string {
  const t = text.trim();
  if (/^[-+]?(nan|inf|infinity)$/i.test(t)) return ionFloat(Number(t.replace(/inf$/i, 'Infinity')));
  const unsigned = t.replace(/^\+/, '');
  if (/[eE]/.test(unsigned)) return unsigned.replace(/[eE]/, 'd');
  return unsigned.includes('.') ? unsigned : `${unsigned}.`;
}

function ionFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return '+inf';
  if (n === -Infinity) return '-inf';
  const s = String(n);
  return /e/.test(s) ? s : `${s}e0`;
}

/** Ion timestamps need a year 0001-9999 and an offset; `-00:00` is Ion's "local, offset unknown". */
function ionTimestamp(ts: SqlTimestamp): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(ts.iso) || ts.iso.startsWith('0000')) return JSON.stringify(ts.iso);
  return ts.zoned ? ts.iso : `${ts.iso}-00:00`;
}

export function ionValue(value: SqlValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isInteger(value) && Number.isSafeInteger(value) ? String(value) : ionFloat(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
  }
  if (value instanceof SqlDecimal) return ionDecimal(value.text);
  if (value instanceof SqlTimestamp) return ionTimestamp(value);
  if (value instanceof SqlDate) return /^\d{4}-\d{2}-\d{2}$/.test(value.iso) && !value.iso.startsWith('0000') ? `${value.iso}T` : JSON.stringify(value.iso);
  if (value instanceof Uint8Array) return `{{${Buffer.from(value).toString('base64')}}}`;
  if (Array.isArray(value)) return `[${value.map(ionValue).join(',')}]`;
  return ionStruct(value);
}

const RESERVED = new Set(['null', 'true', 'false', 'nan']);

/** Field names as Kestra's Ion writer prints them: bare identifiers, otherwise 'quoted symbols'. */
export function ionFieldName(name: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  const escaped = JSON.stringify(name).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${escaped}'`;
}

function ionStruct(record: { [key: string]: SqlValue }): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(record)) parts.push(`${ionFieldName(k)}:${ionValue(v)}`);
  return `{${parts.join(',')}}`;
}

/** One line of a STORE file, newline included. */
export function ionRecordLine(row: SqlRow): string {
  return ionStruct(row) + '\n';
}
