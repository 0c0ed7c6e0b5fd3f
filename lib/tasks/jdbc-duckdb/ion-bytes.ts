/**
 * The byte buffer STORE's column encoder writes Ion text into: ASCII digits, copied UTF-8
 * and escapes written in place, so a chunk's text is never a JS string that must be
 * joined and encoded again for the file.
 *
 * The `put…` functions write at a position and return the position after; they check no
 * bounds (a typed array drops writes past its end silently), so the caller reserves room
 * first: `IonBytes.row` once per row for the cells whose width has a bound, `IonBytes.room`
 * for a cell whose width depends on its value.
 */

/** A chunk of a narrow result fits from the start; a wider one grows it once or twice. */
const INITIAL_BYTES = 256 << 10;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const HEX = Buffer.from('0123456789abcdef');
/** JSON.stringify's short escapes for control characters (\b \t \n \f \r); the rest are \u00XX. */
const SHORT_ESCAPES: Record<number, number> = { 8: 0x62, 9: 0x74, 10: 0x6e, 12: 0x66, 13: 0x72 };

/**
 * One buffer, written from the start for each chunk: it stays in the CPU's cache and its
 * pages stay mapped, where a fresh buffer a chunk cost a page fault every 4 KB.
 */
export class IonBytes {
  buf = Buffer.allocUnsafe(INITIAL_BYTES);
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
   * after them. The buffer may be replaced by a larger one: read `buf` after this.
   */
  room(n: number): void {
    const need = this.pos + n + this.rowBound;
    if (need <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(need, 2 * this.buf.length));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
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

export function putBytes(buf: Uint8Array, p: number, src: Uint8Array): number {
  for (let i = 0; i < src.length; i++) buf[p++] = src[i];
  return p;
}

/** A string known to be ASCII (keywords, formatted dates), a byte per character. */
export function putAscii(buf: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
  return p;
}

export const NULL_BYTES = Buffer.from('null');

/** At most the 17 bytes of `-9007199254740991`. */
export const INTEGER_BOUND = 17;

/** A safe integer's decimal digits, as `String(v)` writes them. */
export function putInteger(buf: Uint8Array, p: number, v: number): number {
  if (v < 0) {
    buf[p++] = 0x2d;
    v = -v;
  }
  return putDigits(buf, p, v, digitCount(v));
}

/** Sign, up to 16 digits or scale + 1 of them, and the point. */
export const decimalBound = (scale: number) => Math.max(16, scale + 1) + 2;

/** A scaled integer as Ion decimal text: `12.50`, `-0.01`, `7.` (a decimal point even at scale 0). */
export function putDecimal(buf: Uint8Array, p: number, scaled: number, scale: number): number {
  if (scaled < 0) {
    buf[p++] = 0x2d;
    scaled = -scaled;
  }
  // At least one digit before the point: 0.05, not .05. The digits are written, then
  // the fraction's moved right by one for the point.
  const digits = Math.max(digitCount(scaled), scale + 1);
  const point = p + digits - scale;
  putDigits(buf, p, scaled, digits);
  for (let i = p + digits; i > point; i--) buf[i] = buf[i - 1];
  buf[point] = 0x2e; // .
  return p + digits + 1;
}

/** 0–99 as two digits. */
export function putTwoDigits(buf: Uint8Array, p: number, n: number): number {
  const tens = (n / 10) | 0;
  buf[p] = ZERO + tens;
  buf[p + 1] = ZERO + (n - tens * 10);
  return p + 2;
}

/** Microseconds of a second as `.ffffff` without trailing zeros; nothing for 0. */
export function putFraction(buf: Uint8Array, p: number, micros: number): number {
  if (micros === 0) return p;
  buf[p++] = 0x2e;
  p = putDigits(buf, p, micros, 6);
  while (buf[p - 1] === ZERO) p--;
  return p;
}

/** Room a string of `length` UTF-8 bytes may take: quotes, and 6 bytes (`\u00XX`) a byte at worst. */
export const stringBound = (length: number) => 6 * length + 2;

/**
 * A string's UTF-8 bytes in double quotes when none needs care (printable ASCII but `"`
 * and `\`), the common case, copied as they are. Returns -1, having written nothing
 * that counts, when some byte needs an escape or is past ASCII.
 */
export function putPlainString(buf: Uint8Array, p: number, src: Uint8Array, from: number, length: number): number {
  buf[p++] = QUOTE;
  for (let i = from, end = from + length; i < end; i++) {
    const b = src[i];
    if (b < 0x20 || b >= 0x80 || b === QUOTE || b === BACKSLASH) return -1;
    buf[p++] = b;
  }
  buf[p++] = QUOTE;
  return p;
}

/**
 * A string's UTF-8 bytes in double quotes, with `"`, `\` and control characters escaped
 * as JSON.stringify escapes them, other bytes copied: what JSON.stringify of the decoded
 * text gives, for bytes that are valid UTF-8.
 */
export function putEscapedString(buf: Uint8Array, p: number, src: Uint8Array, from: number, length: number): number {
  buf[p++] = QUOTE;
  for (let i = from, end = from + length; i < end; i++) {
    const b = src[i];
    if (b >= 0x20 && b !== QUOTE && b !== BACKSLASH) {
      buf[p++] = b;
      continue;
    }
    buf[p++] = BACKSLASH;
    if (b === QUOTE || b === BACKSLASH) buf[p++] = b;
    else if (SHORT_ESCAPES[b] !== undefined) buf[p++] = SHORT_ESCAPES[b];
    else {
      buf[p++] = 0x75; // u00XX
      buf[p++] = ZERO;
      buf[p++] = ZERO;
      buf[p++] = HEX[b >> 4];
      buf[p++] = HEX[b & 15];
    }
  }
  buf[p++] = QUOTE;
  return p;
}

/** `v`'s last `count` decimal digits, leading zeros included. */
function putDigits(buf: Uint8Array, p: number, v: number, count: number): number {
  const end = p + count;
  let q = end;
  // Below 2^31 the digits come from integer arithmetic, which the JIT keeps in registers.
  while (v >= 2147483648) {
    const next = Math.floor(v / 10);
    buf[--q] = ZERO + (v - next * 10);
    v = next;
  }
  let small = v | 0;
  while (q > p) {
    const next = (small / 10) | 0;
    buf[--q] = ZERO + (small - next * 10);
    small = next;
  }
  return end;
}

/** Digits of a non-negative safe integer (1 for 0). */
function digitCount(v: number): number {
  let n = 1;
  for (let limit = 10; v >= limit && n < 16; limit *= 10) n++;
  return v >= 1e16 ? 17 : n;
}
