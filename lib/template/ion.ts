/**
 * Amazon Ion text for Kestra's `toIon` filter and `fromIon` function. Kestra serializes with
 * Jackson's Ion mapper (ion-java's text writer): compact, field names as symbols (quoted only
 * when not an identifier), doubles as Ion floats (`1.5e0`, `2e0`). Reading goes through ion-js.
 */
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import type * as IonJs from 'ion-js';
import { JavaDouble, MapEntry, dateText, asNumber, formatDouble, isList, isMap, makeDouble, newMap } from './values';

/**
 * ion-js (some fifty modules) loads when Ion text is first read: writing needs none of it,
 * and a flow that reads no Ion should not pay for it at start. Rendering is synchronous,
 * hence require rather than import().
 */
let ionJs: typeof IonJs | undefined;
function ion(): typeof IonJs {
  return (ionJs ??= createRequire(import.meta.url)('ion-js') as typeof IonJs);
}

const IDENTIFIER = /^[a-zA-Z_$][a-zA-Z0-9_$]*$/;
/** Symbols ion-java always quotes: the keywords and `$` followed by digits (symbol ids). */
const KEYWORD = /^(null|true|false|nan|\$[0-9]+)$/;
const NAMED_ESCAPES: Record<string, string> = {
  '\0': '\\0', '\u0007': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\u000b': '\\v', '\f': '\\f', '\r': '\\r', '\\': '\\\\',
};

/** ion-java's `printCodePoints` for UTF-8 output: C0 controls, DEL and C1 controls escaped. */
function escapeText(text: string, quote: '"' | "'"): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (c === quote) out += `\\${c}`;
    else if (Object.prototype.hasOwnProperty.call(NAMED_ESCAPES, c)) out += NAMED_ESCAPES[c];
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out;
}

function symbol(name: string): string {
  return IDENTIFIER.test(name) && !KEYWORD.test(name) ? name : `'${escapeText(name, "'")}'`;
}

/** ion-java's float printer: Java's `Double.toString`, made an Ion float. */
function ionFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0e0' : '0e0';
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? '+inf' : '-inf';
  const text = formatDouble(x);
  if (text.endsWith('.0')) return `${text.slice(0, -2)}e0`;
  return text.includes('E') ? text : `${text}e0`;
}

export function toIonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `"${escapeText(value, '"')}"`;
  if (value instanceof JavaDouble) return ionFloat(value.value);
  const n = asNumber(value);
  if (n) return n.double || !Number.isSafeInteger(n.value) ? ionFloat(n.value) : String(n.value);
  if (value instanceof Date) return `"${dateText(value)}"`;
  if (value instanceof MapEntry) return `{${symbol(value.key)}:${toIonText(value.value)}}`;
  if (isList(value)) return `[${value.map(toIonText).join(',')}]`;
  if (isMap(value)) return `{${Object.keys(value).map((k) => `${symbol(k)}:${toIonText(value[k])}`).join(',')}}`;
  return `"${escapeText(String(value), '"')}"`;
}

function fromDom(value: IonJs.dom.Value | null): unknown {
  if (value === null || value.isNull()) return null;
  const { IonTypes } = ion();
  switch (value.getType()) {
    case IonTypes.BOOL:
      return value.booleanValue();
    case IonTypes.INT: {
      const big = value.bigIntValue();
      return big !== null && (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) ? big : value.numberValue();
    }
    case IonTypes.FLOAT:
    case IonTypes.DECIMAL:
      return makeDouble(value.numberValue() ?? 0);
    case IonTypes.TIMESTAMP:
      return value.timestampValue()?.getDate().toISOString() ?? null;
    case IonTypes.STRING:
    case IonTypes.SYMBOL:
      return value.stringValue();
    case IonTypes.BLOB:
    case IonTypes.CLOB: {
      const bytes = value.uInt8ArrayValue();
      return bytes === null ? null : Buffer.from(bytes).toString('base64');
    }
    case IonTypes.LIST:
    case IonTypes.SEXP:
      return value.elements().map((v) => fromDom(v));
    case IonTypes.STRUCT:
      return newMap(value.fields().map(([k, v]) => [k, fromDom(v)] as const));
    default:
      return null;
  }
}

/** Reads the first Ion value of `text` into template values (structs become maps). */
export function fromIonText(text: string): unknown {
  return fromDom(ion().load(text));
}
