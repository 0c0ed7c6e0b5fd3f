/**
 * Java's `java.text.DecimalFormat` with en-US symbols, as Pebble's `numberFormat` filter uses
 * it (`new DecimalFormat(format, new DecimalFormatSymbols(locale))`; Kestra's engine runs in
 * the JVM's default locale, en-US in its image). The pattern language, the derived digit
 * counts and the output walk follow the JDK's `applyPattern`/`subformat`; rounding is
 * HALF_EVEN decided on the double's exact binary value, as the JDK does since Java 8, while the
 * digits printed are the shortest ones that read back as the same double (`Double.toString`).
 */

export class DecimalFormatError extends Error {}

interface Pattern {
  positivePrefix: string;
  positiveSuffix: string;
  negativePrefix: string;
  negativeSuffix: string;
  multiplier: number;
  groupingSize: number;
  minInt: number;
  maxInt: number;
  minFrac: number;
  maxFrac: number;
  decimalSeparatorAlwaysShown: boolean;
  /** Minimum exponent digits, or undefined for plain notation. */
  exponentDigits: number | undefined;
}

const DIGIT = '#';
const ZERO = '0';
const GROUPING = ',';
const DECIMAL = '.';
const EXPONENT = 'E';
const SEPARATOR = ';';
const PERCENT = '%';
const PER_MILLE = '\u2030';
const CURRENCY = '\u00a4';
const QUOTE = "'";
const MINUS = '-';
const INFINITY = '\u221e';
const MAX_INT_DIGITS = 2 ** 31 - 1;

/** `DecimalFormat.applyPattern` for a non-localized pattern. */
export function parsePattern(pattern: string): Pattern {
  const result: Partial<Pattern> = {};
  let multiplier = 1;
  let pos = 0;
  for (let j = 1; j >= 0 && pos < pattern.length; --j) {
    let inQuote = false;
    let prefix = '';
    let suffix = '';
    let decimalPos = -1;
    let digitLeftCount = 0;
    let zeroDigitCount = 0;
    let digitRightCount = 0;
    let groupingCount = -1;
    let useExponent = false;
    let minExponentDigits = 0;
    // 0: prefix, 1: number, 2: suffix.
    let phase = 0;
    let inPrefix = true;
    const append = (s: string): void => {
      if (inPrefix) prefix += s;
      else suffix += s;
    };

    for (; pos < pattern.length; ++pos) {
      const ch = pattern[pos];
      if (phase === 0 || phase === 2) {
        if (inQuote) {
          if (ch === QUOTE) {
            if (pattern[pos + 1] === QUOTE) {
              ++pos;
              append(QUOTE);
            } else {
              inQuote = false;
            }
            continue;
          }
          append(ch);
          continue;
        }
        if (ch === DIGIT || ch === ZERO || ch === GROUPING || ch === DECIMAL) {
          if (phase === 2) throw new DecimalFormatError(`Unquoted special character '${ch}' in pattern "${pattern}"`);
          phase = 1;
          --pos;
          continue;
        }
        if (ch === CURRENCY) {
          const international = pattern[pos + 1] === CURRENCY;
          if (international) ++pos;
          append(international ? 'USD' : '$');
          continue;
        }
        if (ch === QUOTE) {
          if (pattern[pos + 1] === QUOTE) {
            ++pos;
            append(QUOTE);
          } else {
            inQuote = true;
          }
          continue;
        }
        if (ch === SEPARATOR) {
          if (phase === 0 || j === 0) throw new DecimalFormatError(`Unquoted special character '${ch}' in pattern "${pattern}"`);
          ++pos;
          break;
        }
        if (ch === PERCENT || ch === PER_MILLE) {
          if (multiplier !== 1) throw new DecimalFormatError(`Too many percent/per mille characters in pattern "${pattern}"`);
          multiplier = ch === PERCENT ? 100 : 1000;
          append(ch);
          continue;
        }
        append(ch === MINUS ? MINUS : ch);
        continue;
      }

      // Phase 1: the number. The negative subpattern's number part only marks where its suffix starts.
      if (j === 0) {
        if (ch === DIGIT || ch === ZERO || ch === GROUPING || ch === DECIMAL || ch === EXPONENT) continue;
        phase = 2;
        inPrefix = false;
        --pos;
        continue;
      }
      if (ch === DIGIT) {
        if (zeroDigitCount > 0) ++digitRightCount;
        else ++digitLeftCount;
        if (groupingCount >= 0 && decimalPos < 0) ++groupingCount;
      } else if (ch === ZERO) {
        if (digitRightCount > 0) throw new DecimalFormatError(`Unexpected '0' in pattern "${pattern}"`);
        ++zeroDigitCount;
        if (groupingCount >= 0 && decimalPos < 0) ++groupingCount;
      } else if (ch === GROUPING) {
        groupingCount = 0;
      } else if (ch === DECIMAL) {
        if (decimalPos >= 0) throw new DecimalFormatError(`Multiple decimal separators in pattern "${pattern}"`);
        decimalPos = digitLeftCount + zeroDigitCount + digitRightCount;
      } else if (ch === EXPONENT) {
        if (useExponent) throw new DecimalFormatError(`Multiple exponential symbols in pattern "${pattern}"`);
        useExponent = true;
        while (pattern[pos + 1] === ZERO) {
          ++pos;
          ++minExponentDigits;
        }
        if (digitLeftCount + zeroDigitCount < 1 || minExponentDigits < 1) {
          throw new DecimalFormatError(`Malformed exponential pattern "${pattern}"`);
        }
        phase = 2;
        inPrefix = false;
      } else {
        phase = 2;
        inPrefix = false;
        --pos;
      }
    }
    if (inQuote) throw new DecimalFormatError(`Malformed pattern "${pattern}"`);

    if (j === 0) {
      result.negativePrefix = prefix;
      result.negativeSuffix = suffix;
      continue;
    }
    // "##.###" means "#0.###" and ".###" means ".0##".
    if (zeroDigitCount === 0 && digitLeftCount > 0 && decimalPos >= 0) {
      const n = decimalPos === 0 ? 1 : decimalPos;
      digitRightCount = digitLeftCount - n;
      digitLeftCount = n - 1;
      zeroDigitCount = 1;
    }
    if (
      (decimalPos < 0 && digitRightCount > 0)
      || (decimalPos >= 0 && (decimalPos < digitLeftCount || decimalPos > digitLeftCount + zeroDigitCount))
      || groupingCount === 0
    ) {
      throw new DecimalFormatError(`Malformed pattern "${pattern}"`);
    }
    const digitTotalCount = digitLeftCount + zeroDigitCount + digitRightCount;
    const effectiveDecimalPos = decimalPos >= 0 ? decimalPos : digitTotalCount;
    result.positivePrefix = prefix;
    result.positiveSuffix = suffix;
    result.negativePrefix = MINUS + prefix;
    result.negativeSuffix = suffix;
    result.minInt = effectiveDecimalPos - digitLeftCount;
    result.maxInt = useExponent ? digitLeftCount + result.minInt : MAX_INT_DIGITS;
    result.maxFrac = decimalPos >= 0 ? digitTotalCount - decimalPos : 0;
    result.minFrac = decimalPos >= 0 ? digitLeftCount + zeroDigitCount - decimalPos : 0;
    result.groupingSize = groupingCount > 0 ? groupingCount : 0;
    result.decimalSeparatorAlwaysShown = decimalPos === 0 || decimalPos === digitTotalCount;
    result.exponentDigits = useExponent ? minExponentDigits : undefined;
  }
  if (pattern.length === 0) {
    return {
      positivePrefix: '', positiveSuffix: '', negativePrefix: MINUS, negativeSuffix: '', multiplier: 1, groupingSize: 0,
      minInt: 1, maxInt: MAX_INT_DIGITS, minFrac: 0, maxFrac: 0, decimalSeparatorAlwaysShown: false, exponentDigits: undefined,
    };
  }
  return { ...(result as Pattern), multiplier };
}

/** Decimal digits without leading or trailing zeros; the value is 0.d1d2... × 10^decimalAt. */
interface Digits {
  digits: string;
  decimalAt: number;
}

/** The exact decimal expansion of a finite non-negative double. */
function exactDigits(x: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (mantissa === 0n) return { digits: '', decimalAt: 0 };
  if (exponent >= 0) return trim((mantissa << BigInt(exponent)).toString(), null);
  const text = (mantissa * 5n ** BigInt(-exponent)).toString();
  return trim(text, text.length + exponent);
}

function trim(text: string, decimalAt: number | null): Digits {
  const at = decimalAt ?? text.length;
  const start = text.search(/[1-9]/);
  if (start < 0) return { digits: '', decimalAt: 0 };
  const digits = text.slice(start).replace(/0+$/, '');
  return { digits, decimalAt: at - start };
}

/** The shortest digits that read back as `x` (what `Double.toString` prints). */
function shortestDigits(x: number): Digits {
  const [mantissa, exp] = x.toExponential().split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return { digits, decimalAt: Number(exp) + 1 };
}

/** Compares two digit strings as numbers with the same decimal point. */
function compareDigits(a: Digits, b: Digits): number {
  if (a.digits === '' || b.digits === '') return a.digits === b.digits ? 0 : a.digits === '' ? -1 : 1;
  if (a.decimalAt !== b.decimalAt) return a.decimalAt - b.decimalAt;
  const len = Math.max(a.digits.length, b.digits.length);
  const pa = a.digits.padEnd(len, '0');
  const pb = b.digits.padEnd(len, '0');
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/**
 * Keeps `keep` leading digits (counted from the first digit), rounding HALF_EVEN on the exact
 * value; `exact` is undefined when `shown` is the value itself (a long).
 */
function roundDigits(shown: Digits, keep: number, exact: Digits | undefined): Digits {
  if (keep >= shown.digits.length) return shown;
  if (keep < 0) return { digits: '', decimalAt: 0 };
  const value = exact ?? shown;
  const kept = shown.digits.slice(0, keep);
  // The rounding decision: compare the exact value with the halfway point after `kept`.
  const half: Digits = { digits: `${kept}5`, decimalAt: shown.decimalAt };
  const cmp = compareDigits(value, half);
  const lastKept = keep > 0 ? Number(kept[keep - 1]) : 0;
  const up = cmp > 0 || (cmp === 0 && lastKept % 2 === 1);
  if (!up) return trim(kept, shown.decimalAt);
  const incremented = (BigInt(kept === '' ? '0' : kept) + 1n).toString().padStart(keep, '0');
  const carry = incremented.length > keep ? 1 : 0;
  return trim(incremented, shown.decimalAt + carry);
}

/** The digits to print for a number, rounded to `maxFrac` fraction digits (fixed point) or `maxSignificant`. */
function digitsOf(value: number, isLong: boolean, fixed: boolean, limit: number): Digits {
  if (isLong) {
    const shown = trim(BigInt(value).toString(), null);
    return fixed ? shown : roundDigits(shown, limit, undefined);
  }
  if (value === 0) return { digits: '', decimalAt: 0 };
  const shown = shortestDigits(value);
  const exact = exactDigits(value);
  const keep = fixed ? shown.decimalAt + limit : limit > 0 ? limit : shown.digits.length;
  return roundDigits(shown, keep, exact);
}

function groupedInteger(p: Pattern, d: Digits): { text: string; digitIndex: number } {
  let count = p.minInt;
  let digitIndex = 0;
  if (d.decimalAt > 0 && count < d.decimalAt) count = d.decimalAt;
  if (count > p.maxInt) {
    count = p.maxInt;
    digitIndex = d.decimalAt - count;
  }
  let text = '';
  for (let i = count - 1; i >= 0; --i) {
    if (i < d.decimalAt && digitIndex < d.digits.length) text += d.digits[digitIndex++];
    else text += ZERO;
    if (p.groupingSize > 0 && i > 0 && i % p.groupingSize === 0) text += GROUPING;
  }
  return { text, digitIndex };
}

function plain(p: Pattern, d: Digits, isLong: boolean): string {
  const integer = groupedInteger(p, d);
  let out = integer.text;
  let digitIndex = integer.digitIndex;
  const fractionPresent = p.minFrac > 0 || (!isLong && digitIndex < d.digits.length);
  if (!fractionPresent && out === '') out += ZERO;
  if (p.decimalSeparatorAlwaysShown || fractionPresent) out += DECIMAL;
  for (let i = 0; i < p.maxFrac; ++i) {
    if (i >= p.minFrac && (isLong || digitIndex >= d.digits.length)) break;
    if (-1 - i > d.decimalAt - 1) {
      out += ZERO;
      continue;
    }
    out += !isLong && digitIndex < d.digits.length ? d.digits[digitIndex++] : ZERO;
  }
  return out;
}

function scientific(p: Pattern, d: Digits, minExponentDigits: number): string {
  const isZero = d.digits === '';
  let exponent = d.decimalAt;
  const repeat = p.maxInt;
  let minimumIntegerDigits = p.minInt;
  if (repeat > 1 && repeat > p.minInt) {
    // Engineering notation: the exponent is a multiple of the maximum integer digits.
    exponent = exponent >= 1 ? Math.trunc((exponent - 1) / repeat) * repeat : Math.trunc((exponent - repeat) / repeat) * repeat;
    minimumIntegerDigits = 1;
  } else {
    exponent -= minimumIntegerDigits;
  }
  let minimumDigits = p.minInt + p.minFrac;
  if (minimumDigits < 0) minimumDigits = 0;
  const integerDigits = isZero ? minimumIntegerDigits : d.decimalAt - exponent;
  if (minimumDigits < integerDigits) minimumDigits = integerDigits;
  let totalDigits = d.digits.length;
  if (minimumDigits > totalDigits) totalDigits = minimumDigits;
  let out = '';
  for (let i = 0; i < totalDigits; ++i) {
    if (i === integerDigits) out += DECIMAL;
    out += i < d.digits.length ? d.digits[i] : ZERO;
  }
  if (p.decimalSeparatorAlwaysShown && totalDigits === integerDigits) out += DECIMAL;
  out += EXPONENT;
  if (isZero) exponent = 0;
  if (exponent < 0) out += MINUS;
  return out + String(Math.abs(exponent)).padStart(minExponentDigits, ZERO);
}

/** `new DecimalFormat(pattern, en-US symbols).format(value)`; `isLong` picks the `format(long)` path. */
export function formatDecimal(pattern: string, value: number, isLong: boolean): string {
  const p = parsePattern(pattern);
  if (Number.isNaN(value)) return 'NaN';
  const negative = value < 0 || (value === 0 && 1 / value < 0);
  let magnitude = Math.abs(value * p.multiplier);
  const prefix = negative ? p.negativePrefix : p.positivePrefix;
  const suffix = negative ? p.negativeSuffix : p.positiveSuffix;
  if (!Number.isFinite(magnitude)) return prefix + INFINITY + suffix;
  if (isLong && !Number.isSafeInteger(magnitude)) isLong = false;
  if (p.exponentDigits !== undefined) {
    const digits = digitsOf(magnitude, isLong, false, p.maxInt + p.maxFrac);
    return prefix + scientific(p, digits, p.exponentDigits) + suffix;
  }
  if (isLong) magnitude = Math.trunc(magnitude);
  return prefix + plain(p, digitsOf(magnitude, isLong, true, p.maxFrac), isLong) + suffix;
}

/** `NumberFormat.getInstance(Locale.US)`: what `numberFormat` does without a pattern. */
export const DEFAULT_NUMBER_PATTERN = '#,##0.###';
