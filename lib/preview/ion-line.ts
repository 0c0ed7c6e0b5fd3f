/**
 * A fast reader for the Ion lines STORE writes: one struct of plain values per line. A
 * general Ion reader costs ~0.3 ms a record, most of a page's time; this one reads the
 * shapes Flowbook and Kestra write (identifiers and quoted field names, null, booleans,
 * ints, decimals, floats, timestamps, strings, symbols, lists, nested structs) and gives
 * up on anything else (annotations, comments, blobs, long strings, unusual escapes), so
 * the caller reads that line with the full reader instead. Values come out as the full
 * reader's JSON conversion gives them.
 */
import type { JsonValue } from '../tasks/jdbc-common/values';

/** Thrown inside the parser when a line needs the full reader. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

export interface IonField {
  value: JsonValue;
  /** The column type name the preview shows for this Ion type. */
  type: string;
}

const INT = /^-?(?:0|[1-9]\d*)$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)\.\d*$/;
const FLOAT = /^-?\d+(?:\.\d*)?[eE][+-]?\d+$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(?:(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|-00:00|[+-]\d{2}:\d{2}))?$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Where a bare value ends (a timestamp's colons are inside it), and where a bare field name ends. */
const VALUE_END = /[\s,}\]]/;
const NAME_END = /[\s:]/;

/** A quoted symbol's text (`it\\'s`, `say "hi"`) as a JSON string literal. */
function asJsonString(symbol: string): string {
  let out = '"';
  for (let k = 0; k < symbol.length; k++) {
    const c = symbol[k];
    if (c === '\\') {
      const next = symbol[++k];
      out += next === "'" ? "'" : `\\${next}`;
    } else out += c === '"' ? '\\"' : c;
  }
  return out + '"';
}

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  skipSpace(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++this.i);
    if (c === 47) throw NOT_PLAIN; // a comment
  }

  expect(ch: string): void {
    this.skipSpace();
    if (this.s[this.i] !== ch) throw NOT_PLAIN;
    this.i++;
  }

  /** A quoted string or symbol's text; escapes only as JSON has them. */
  quoted(quote: string): string {
    const s = this.s;
    const start = this.i + 1;
    let j = start;
    let escaped = false;
    for (;;) {
      const c = s[j];
      if (c === undefined) throw NOT_PLAIN;
      if (c === '\\') {
        escaped = true;
        j += 2;
        continue;
      }
      if (c === quote) break;
      j++;
    }
    this.i = j + 1;
    if (quote === "'" && s.startsWith("''", this.i)) throw NOT_PLAIN; // a long string
    if (!escaped) return s.slice(start, j);
    try {
      return JSON.parse(quote === '"' ? s.slice(start - 1, j + 1) : asJsonString(s.slice(start, j))) as string;
    } catch {
      throw NOT_PLAIN;
    }
  }

  token(end: RegExp): string {
    const rest = this.s.slice(this.i);
    const m = end.exec(rest);
    const t = m ? rest.slice(0, m.index) : rest;
    if (t === '') throw NOT_PLAIN;
    this.i += t.length;
    return t;
  }

  fieldName(): string {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === '"' || c === "'") {
      if (this.s.startsWith("'''", this.i)) throw NOT_PLAIN;
      return this.quoted(c);
    }
    const t = this.token(NAME_END);
    if (!IDENTIFIER.test(t)) throw NOT_PLAIN;
    return t;
  }

  value(): IonField {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === '{') {
      if (this.s[this.i + 1] === '{') throw NOT_PLAIN; // a blob or clob
      return { value: Object.fromEntries([...this.struct()].map(([k, f]) => [k, f.value])), type: 'STRUCT' };
    }
    if (c === '[') return { value: this.list(), type: 'LIST' };
    if (c === '"') return { value: this.quoted('"'), type: 'VARCHAR' };
    if (c === "'") {
      if (this.s.startsWith("'''", this.i)) throw NOT_PLAIN;
      const symbol = this.quoted("'");
      this.noAnnotation();
      return { value: symbol, type: 'VARCHAR' };
    }
    const t = this.token(VALUE_END);
    this.noAnnotation();
    return scalar(t);
  }

  noAnnotation(): void {
    this.skipSpace();
    if (this.s[this.i] === ':') throw NOT_PLAIN;
  }

  list(): JsonValue[] {
    this.i++;
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value().value);
      this.skipSpace();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') throw NOT_PLAIN;
      this.skipSpace();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
    }
  }

  /** Fields in order; a repeated name is left to the full reader. */
  struct(): Map<string, IonField> {
    this.i++;
    const out = new Map<string, IonField>();
    this.skipSpace();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      const name = this.fieldName();
      if (out.has(name)) throw NOT_PLAIN;
      this.expect(':');
      if (this.s[this.i] === ':') throw NOT_PLAIN;
      out.set(name, this.value());
      this.skipSpace();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') throw NOT_PLAIN;
      this.skipSpace();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
    }
  }
}

function timestamp(t: string): IonField {
  const m = TIMESTAMP.exec(t);
  if (!m) throw NOT_PLAIN;
  const [, , month, day, hour, minute, second, offset] = m;
  if (+month < 1 || +month > 12 || +day < 1 || +day > 31) throw NOT_PLAIN;
  if (hour !== undefined && (+hour > 23 || +minute > 59 || +(second ?? 0) > 59)) throw NOT_PLAIN;
  if (offset === '+00:00') throw NOT_PLAIN; // the full reader prints it as Z
  // Unknown offset (-00:00) is local time: shown without a zone, as it was stored.
  return { value: offset === '-00:00' ? t.slice(0, -6) : t, type: 'TIMESTAMP' };
}

function scalar(t: string): IonField {
  switch (t) {
    case 'null':
      return { value: null, type: 'NULL' };
    case 'true':
      return { value: true, type: 'BOOLEAN' };
    case 'false':
      return { value: false, type: 'BOOLEAN' };
    case 'nan':
      return { value: NaN, type: 'DOUBLE' };
    case '+inf':
      return { value: Infinity, type: 'DOUBLE' };
    case '-inf':
      return { value: -Infinity, type: 'DOUBLE' };
  }
  if (t.startsWith('null.')) {
    if (!IDENTIFIER.test(t.slice(5))) throw NOT_PLAIN;
    return { value: null, type: 'NULL' };
  }
  const c = t.charCodeAt(t.length - 1);
  if (INT.test(t)) {
    const n = Number(t);
    return { value: Number.isSafeInteger(n) ? n : BigInt(t).toString(), type: 'BIGINT' };
  }
  if (DECIMAL.test(t)) {
    // The full reader prints `7.` as 7 and keeps every other digit as written.
    const text = c === 46 ? t.slice(0, -1) : t;
    if (text === '-0') throw NOT_PLAIN;
    const n = Number(text);
    return { value: Number.isFinite(n) && String(n).replace(/^-/, '').length <= 16 ? n : text, type: 'DECIMAL' };
  }
  if (FLOAT.test(t)) return { value: Number(t), type: 'DOUBLE' };
  if (t.length > 10 && t[4] === '-' && t[10] === 'T') return timestamp(t);
  if (IDENTIFIER.test(t)) return { value: t, type: 'VARCHAR' };
  throw NOT_PLAIN;
}

/** The fields of a line holding one plain struct, or undefined when the line needs the full reader. */
export function readIonRecord(line: string): Map<string, IonField> | undefined {
  const r = new Reader(line);
  try {
    r.skipSpace();
    if (line[r.i] !== '{' || line[r.i + 1] === '{') return undefined;
    const fields = r.struct();
    r.skipSpace();
    return r.i === line.length ? fields : undefined;
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}
