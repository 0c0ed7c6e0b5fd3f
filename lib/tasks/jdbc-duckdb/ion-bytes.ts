/**
 * The byte buffer STORE's column encoder writes Ion text into: ASCII digits, copied UTF-8
 * and escapes written in place, so a chunk's text is never a JS string that must be
 * joined and encoded again for the file. Writes go through a DataView, which lets text
 * known in advance go four bytes a store and digits two.
 *
 * The `put…` functions write at a position and return the position after. They check no
 * bounds, so the caller reserves room first: `IonBytes.row` once per row for the cells
 * whose width has a bound, `IonBytes.room` for a cell whose width depends on its value.
 */

/** A chunk of a narrow result fits from the start; a wider one grows it once or twice. */
const INITIAL_BYTES = 256 << 10;
/** A word write of the last 1–3 bytes of fixed text runs up to 3 bytes on: room keeps them spare. */
const WORD_SLACK = 3;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const HEX = Buffer.from('0123456789abcdef');
/** JSON.stringify's short escapes for control characters (\b \t \n \f \r); the rest are \u00XX. */
const SHORT_ESCAPES: Record<number, number> = { 8: 0x62, 9: 0x74, 10: 0x6e, 12: 0x66, 13: 0x72 };
/** `00` to `99` as the little-endian 16-bit words that write them. */
const PAIRS = Uint16Array.from({ length: 100 }, (_, n) => (ZERO + Math.floor(n / 10)) | ((ZERO + (n % 10)) << 8));

/**
 * One buffer, written from the start for each chunk: it stays in the CPU's cache and its
 * pages stay mapped, where a fresh buffer a chunk cost a page fault every 4 KB.
 */
export class IonBytes {
  buf = Buffer.allocUnsafe(INITIAL_BYTES);
  view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  /** Where the next byte goes. */
  pos = 0;
  /** The row's bounded part, kept free by every reservation made within the row. */
  private rowBound = 0;

  /** Reserves the bounded part of a row: field names, punctuation, fixed-width values. */
  row(bound: number): void {
    this.rowBound = bound;
    this.room(0);
  }

  /**
   * Reserves `n` bytes for a cell of unbounded width, the row's bounded part still free
   * after them. The buffer may be replaced by a larger one: read `view` after this.
   */
  room(n: number): void {
    const need = this.pos + n + this.rowBound + WORD_SLACK;
    if (need <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(need, 2 * this.buf.length));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  /** The bytes written since the last take; the next chunk is written over them. */
  take(): Buffer {
    const block = this.buf.subarray(0, this.pos);
    this.pos = 0;
    return block;
  }

  /** Any string, as UTF-8, its room reserved here. */
  text(s: string): void {
    this.room(3 * s.length); // a UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 4 for 2)
    this.pos += this.buf.write(s, this.pos);
  }
}

/** Text known in advance (field names, punctuation, keywords, a day's date) as the 32-bit words that write it. */
export class FixedText {
  readonly length: number;
  private readonly words: Uint32Array;

  constructor(text: string) {
    const bytes = Buffer.from(text);
    this.length = bytes.length;
    const padded = new DataView(new ArrayBuffer(Math.ceil(bytes.length / 4) * 4));
    bytes.forEach((b, i) => padded.setUint8(i, b));
    this.words = Uint32Array.from({ length: padded.byteLength / 4 }, (_, i) => padded.getUint32(4 * i, true));
  }

  /** Writes the text; the bytes after it, up to the word's end, hold padding the next write covers. */
  put(view: DataView, p: number): number {
    const { words } = this;
    for (let i = 0; i < words.length; i++) view.setUint32(p + 4 * i, words[i], true);
    return p + this.length;
  }
}

export const NULL_TEXT = new FixedText('null');

/** At most the 17 bytes of `-9007199254740991`. */
export const INTEGER_BOUND = 17;

/** A safe integer's decimal digits, as `String(v)` writes them. */
export function putInteger(view: DataView, p: number, v: number): number {
  if (v < 0) {
    view.setUint8(p++, 0x2d);
    v = -v;
  }
  return putDigits(view, p, v, digitCount(v));
}

/** Sign, up to 16 digits or scale + 1 of them, and the point. */
export const decimalBound = (scale: number) => Math.max(16, scale + 1) + 2;

/** A scaled integer as Ion decimal text: `12.50`, `-0.01`, `7.` (a decimal point even at scale 0). */
export function putDecimal(view: DataView, p: number, scaled: number, scale: number): number {
  if (scaled < 0) {
    view.setUint8(p++, 0x2d);
    scaled = -scaled;
  }
  // At least one digit before the point: 0.05, not .05. The digits are written, then
  // the fraction's moved right by one for the point.
  const digits = Math.max(digitCount(scaled), scale + 1);
  const point = p + digits - scale;
  putDigits(view, p, scaled, digits);
  for (let i = p + digits; i > point; i--) view.setUint8(i, view.getUint8(i - 1));
  view.setUint8(point, 0x2e); // .
  return p + digits + 1;
}

/** 0–99 as two digits. */
export function putTwoDigits(view: DataView, p: number, n: number): number {
  view.setUint16(p, PAIRS[n], true);
  return p + 2;
}

/** Microseconds of a second as `.ffffff` without trailing zeros; nothing for 0. */
export function putFraction(view: DataView, p: number, micros: number): number {
  if (micros === 0) return p;
  view.setUint8(p++, 0x2e);
  p = putDigits(view, p, micros, 6);
  while (view.getUint8(p - 1) === ZERO) p--;
  return p;
}

/** Room a string of `length` UTF-8 bytes may take: quotes, and 6 bytes (`\u00XX`) a byte at worst. */
export const stringBound = (length: number) => 6 * length + 2;

/**
 * A string's UTF-8 bytes in double quotes when none needs care (printable ASCII but `"`
 * and `\`), the common case, copied as they are. Returns -1, having written nothing
 * that counts, when some byte needs an escape or is past ASCII.
 */
export function putPlainString(view: DataView, p: number, src: Uint8Array, from: number, length: number): number {
  view.setUint8(p++, QUOTE);
  for (let i = from, end = from + length; i < end; i++) {
    const b = src[i];
    if (b < 0x20 || b >= 0x80 || b === QUOTE || b === BACKSLASH) return -1;
    view.setUint8(p++, b);
  }
  view.setUint8(p++, QUOTE);
  return p;
}

/**
 * A string's UTF-8 bytes in double quotes, with `"`, `\` and control characters escaped
 * as JSON.stringify escapes them, other bytes copied: what JSON.stringify of the decoded
 * text gives, for bytes that are valid UTF-8.
 */
export function putEscapedString(view: DataView, p: number, src: Uint8Array, from: number, length: number): number {
  view.setUint8(p++, QUOTE);
  for (let i = from, end = from + length; i < end; i++) {
    const b = src[i];
    if (b >= 0x20 && b !== QUOTE && b !== BACKSLASH) {
      view.setUint8(p++, b);
      continue;
    }
    view.setUint8(p++, BACKSLASH);
    if (b === QUOTE || b === BACKSLASH) view.setUint8(p++, b);
    else if (SHORT_ESCAPES[b] !== undefined) view.setUint8(p++, SHORT_ESCAPES[b]);
    else {
      view.setUint8(p++, 0x75); // u00XX
      view.setUint8(p++, ZERO);
      view.setUint8(p++, ZERO);
      view.setUint8(p++, HEX[b >> 4]);
      view.setUint8(p++, HEX[b & 15]);
    }
  }
  view.setUint8(p++, QUOTE);
  return p;
}

/** `v`'s last `count` decimal digits, leading zeros included, two a store. */
function putDigits(view: DataView, p: number, v: number, count: number): number {
  const end = p + count;
  let q = end;
  // Below 2^31 the digits come from integer arithmetic, which the JIT keeps in registers.
  while (v >= 2147483648) {
    const next = Math.floor(v / 100);
    q -= 2;
    view.setUint16(q, PAIRS[v - next * 100], true);
    v = next;
  }
  let small = v | 0;
  while (q - p >= 2) {
    const next = (small / 100) | 0;
    q -= 2;
    view.setUint16(q, PAIRS[small - next * 100], true);
    small = next;
  }
  if (q > p) view.setUint8(p, ZERO + small);
  return end;
}

/** Digits of a non-negative safe integer (1 for 0). */
function digitCount(v: number): number {
  let n = 1;
  for (let limit = 10; v >= limit && n < 16; limit *= 10) n++;
  return v >= 1e16 ? 17 : n;
}
