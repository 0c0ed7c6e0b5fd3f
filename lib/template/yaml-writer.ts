/**
 * YAML as Kestra's `yaml` filter prints it: Jackson's YAMLGenerator (MINIMIZE_QUOTES,
 * INDENT_ARRAYS, no document marker, no line splitting) over SnakeYAML's emitter with
 * indent 2 and indicator indent 1. Hence the shapes a flow author sees:
 *
 *     key:          list items sit one space in ( - a), a map inside a list starts on
 *      - a          the line after its dash, and a string with a line break becomes a
 *      -            literal block (|, |- or |+ after SnakeYAML's chomping rules).
 *       k: v
 *
 * Strings are left plain unless Jackson's quoting check (reserved words such as `true`,
 * `null`, `yes`, `y`; `[]{},`; `: `; ` #`) asks for double quotes or SnakeYAML's scalar analysis
 * forbids a plain scalar (leading indicator, surrounding spaces...), then single quotes.
 * A string that looks like a number stays plain, as Jackson writes it.
 */
import { MapEntry, dateText, asNumber, formatDouble, isList, isMap } from './values';

const RESERVED = new Set([
  'false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO', 'null', 'Null', 'NULL', 'on', 'On', 'ON',
  'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES',
]);
const LINE_BREAKS = '\n\u0085\u2028\u2029';
const ESCAPES: Record<string, string> = {
  '\0': '0', '\u0007': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\u000b': 'v', '\f': 'f', '\r': 'r', '\u001b': 'e',
  '"': '"', '\\': '\\', '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P',
};

/** Jackson `StringQuotingChecker.isReservedKeyword`: the empty string and YAML 1.1 booleans/nulls. */
function isReserved(text: string): boolean {
  return text === '' || text.startsWith('~') || RESERVED.has(text);
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** Jackson (2.17+) `StringQuotingChecker.valueHasQuotableChar`. */
function hasQuotableChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ('[]{},'.includes(c)) return true;
    if (c === '#' && (i === 0 || isBlank(text[i - 1]))) return true;
    if (c === ':' && (i === text.length - 1 || isBlank(text[i + 1]))) return true;
  }
  return false;
}

/** Jackson `needToQuoteName`: reserved words, anything starting like a number, control characters. */
function nameNeedsQuotes(text: string): boolean {
  return isReserved(text) || /^[0-9+\-.]/.test(text) || /[\u0000-\u001f]/.test(text);
}

function isPrintable(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x7e) || code === 0x85
    || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

interface Analysis {
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
  allowBlock: boolean;
}

/** SnakeYAML `Emitter.analyzeScalar`, for block context. */
function analyze(text: string): Analysis {
  if (text === '') return { multiline: false, allowBlockPlain: true, allowSingleQuoted: true, allowBlock: false };
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const code = c.codePointAt(0) ?? 0;
    const followedByWhitespace = i + 1 >= chars.length || ' \t\0'.includes(chars[i + 1]) || LINE_BREAKS.includes(chars[i + 1]);
    const precededByWhitespace = i === 0 || ' \t\0'.includes(chars[i - 1]) || LINE_BREAKS.includes(chars[i - 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ':' && followedByWhitespace) blockIndicators = true;
      if (c === '#' && precededByWhitespace) blockIndicators = true;
    }
    const isBreak = LINE_BREAKS.includes(c);
    if (isBreak) lineBreaks = true;
    if (!(c === '\n' || (code >= 0x20 && code <= 0x7e)) && !(code === 0x85 || (code >= 0xa0 && isPrintable(code)))) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
  }
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  let allowBlock = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (trailingSpace) allowBlock = false;
  if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowBlockPlain = allowSingleQuoted = allowBlock = false;
  if (lineBreaks) allowBlockPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { multiline: lineBreaks, allowBlockPlain, allowSingleQuoted, allowBlock };
}

function doubleQuoted(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (Object.prototype.hasOwnProperty.call(ESCAPES, c)) out += `\\${ESCAPES[c]}`;
    else if (!isPrintable(code) || code === 0xfeff) {
      out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}

const singleQuoted = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** SnakeYAML `determineBlockHints` and `writeLiteral`; `indent` is where the content lines start. */
function literal(text: string, indent: number): string {
  let hints = '';
  if (text.startsWith(' ') || LINE_BREAKS.includes(text[0])) hints += '2';
  const last = text[text.length - 1];
  if (!LINE_BREAKS.includes(last)) hints += '-';
  else if (text.length === 1 || LINE_BREAKS.includes(text[text.length - 2])) hints += '+';
  const pad = ' '.repeat(indent);
  let out = `|${hints}\n`;
  let breaks = true;
  let start = 0;
  for (let end = 0; end <= text.length; end++) {
    const ch = end < text.length ? text[end] : undefined;
    if (breaks) {
      if (ch === undefined || !LINE_BREAKS.includes(ch)) {
        out += '\n'.repeat(end - start);
        if (ch !== undefined) out += pad;
        start = end;
      }
    } else if (ch === undefined || LINE_BREAKS.includes(ch)) {
      out += text.slice(start, end);
      if (ch === undefined) out += '\n';
      start = end;
    }
    if (ch !== undefined) breaks = LINE_BREAKS.includes(ch);
  }
  return out;
}

/** A string scalar as Jackson asks for it and SnakeYAML allows it; literal blocks end with their line break. */
function stringScalar(text: string, indent: number, isKey: boolean): string {
  const analysis = analyze(text);
  if (isKey) {
    if (nameNeedsQuotes(text)) return doubleQuoted(text);
  } else if (text.includes('\n')) {
    return analysis.allowBlock ? literal(text, indent) : doubleQuoted(text);
  } else if (isReserved(text) || hasQuotableChar(text)) {
    return doubleQuoted(text);
  }
  if (analysis.allowBlockPlain && !(isKey && (text === '' || analysis.multiline))) return text;
  if (analysis.allowSingleQuoted && !(isKey && analysis.multiline)) return singleQuoted(text);
  return doubleQuoted(text);
}

function scalar(value: unknown, indent: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  const n = asNumber(value);
  if (n) return n.double ? formatDouble(n.value) : String(n.value);
  if (value instanceof Date) return stringScalar(dateText(value), indent, false);
  return stringScalar(String(value), indent, false);
}

const isCollection = (v: unknown): boolean => isList(v) || isMap(v) || v instanceof MapEntry;
const entriesOf = (v: unknown): [string, unknown][] =>
  v instanceof MapEntry ? [[v.key, v.value]] : isMap(v) ? Object.keys(v).map((k) => [k, v[k]]) : [];

/** What follows a key's colon or an item's dash, through the end of its last line. */
function afterIndicator(value: unknown, indent: number, inMapping: boolean): string {
  if (isList(value)) {
    if (value.length === 0) return ' []\n';
    // A list under a key is "indentless": its dashes hang off the key's own indent.
    return `\n${sequence(value, inMapping ? indent : indent + 2)}`;
  }
  if (isCollection(value)) {
    const entries = entriesOf(value);
    if (entries.length === 0) return ' {}\n';
    return `\n${mapping(entries, indent + 2)}`;
  }
  const text = scalar(value, indent + 2);
  return text.endsWith('\n') ? ` ${text}` : ` ${text}\n`;
}

/** SnakeYAML writes an empty or multi-line key as a complex key: `? key` then `: value`. */
function mapping(entries: [string, unknown][], indent: number): string {
  const pad = ' '.repeat(indent);
  return entries.map(([k, v]) => {
    const key = stringScalar(k, indent, true);
    const complex = k === '' || [...LINE_BREAKS].some((b) => k.includes(b));
    return complex ? `${pad}? ${key}\n${pad}:${afterIndicator(v, indent, true)}` : `${pad}${key}:${afterIndicator(v, indent, true)}`;
  }).join('');
}

function sequence(items: unknown[], indent: number): string {
  const pad = ' '.repeat(indent + 1);
  return items.map((item) => `${pad}-${afterIndicator(item, indent, false)}`).join('');
}

/** `YamlFilter`'s `writeValueAsString(input)`. */
export function toKestraYaml(value: unknown): string {
  if (isList(value)) return value.length === 0 ? '[]\n' : sequence(value, 0);
  if (isCollection(value)) {
    const entries = entriesOf(value);
    return entries.length === 0 ? '{}\n' : mapping(entries, 0);
  }
  const text = scalar(value, 2);
  return text.endsWith('\n') ? text : `${text}\n`;
}
