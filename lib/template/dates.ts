/**
 * Kestra's date handling (`AbstractDate`): Java `DateTimeFormatter` patterns and named
 * formats, inputs converted to a zoned date-time, output in the requested zone.
 * js-joda implements the Java pattern language, so `yyyy-MM` means year-month as in Kestra.
 */
import type { ChronoUnit, DateTimeFormatter, ZoneId, ZonedDateTime } from '@js-joda/core';
import { joda } from '../model/joda';
import { asNumber, typeName } from './values';
import { zoneName } from './zone-names';

export class DateError extends Error {}

const PATTERNS: Record<string, string> = {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: 'yyyy-MM-dd HH:mm:ss.SSSSSS',
  sql_seq: 'yyyy-MM-dd HH:mm:ss',
};

/** The named formatters, made when a date is first formatted (js-joda loads then). */
let builtIn: Record<string, DateTimeFormatter> | undefined;
function builtInFormatters(): Record<string, DateTimeFormatter> {
  const { DateTimeFormatter } = joda().core;
  return (builtIn ??= {
    iso_date_time: DateTimeFormatter.ISO_DATE_TIME,
    iso_date: DateTimeFormatter.ISO_DATE,
    iso_time: DateTimeFormatter.ISO_TIME,
    iso_local_date: DateTimeFormatter.ISO_LOCAL_DATE,
    iso_instant: DateTimeFormatter.ISO_INSTANT,
    iso_local_date_time: DateTimeFormatter.ISO_LOCAL_DATE_TIME,
    iso_local_time: DateTimeFormatter.ISO_LOCAL_TIME,
    iso_offset_time: DateTimeFormatter.ISO_OFFSET_TIME,
    iso_offset_date_time: DateTimeFormatter.ISO_OFFSET_DATE_TIME,
    iso_ordinal_date: DateTimeFormatter.ISO_ORDINAL_DATE,
    iso_week_date: DateTimeFormatter.ISO_WEEK_DATE,
    iso_zoned_date_time: DateTimeFormatter.ISO_ZONED_DATE_TIME,
  });
}

/**
 * `FormatStyle` en-US patterns of Java 21's CLDR data (a narrow no-break space before AM/PM),
 * used for `full`, `long`, `medium` and `short`.
 */
const STYLES: Record<string, string> = {
  full: "EEEE, MMMM d, y 'at' h:mm:ss\u202fa zzzz",
  long: "MMMM d, y 'at' h:mm:ss\u202fa z",
  medium: 'MMM d, y, h:mm:ss\u202fa',
  short: 'M/d/yy, h:mm\u202fa',
};

function hasOwnKey(map: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

function formatter(format: string): DateTimeFormatter {
  const named = builtInFormatters();
  if (hasOwnKey(named, format)) return named[format];
  return ofPattern(patternOf(format), format);
}

function patternOf(format: string): string {
  return hasOwnKey(PATTERNS, format) ? PATTERNS[format] : hasOwnKey(STYLES, format) ? STYLES[format] : format;
}

function ofPattern(pattern: string, format: string): DateTimeFormatter {
  try {
    const { core, Locale } = joda();
    return core.DateTimeFormatter.ofPattern(pattern).withLocale(Locale.US);
  } catch (e) {
    throw new DateError(`Invalid date format '${format}': ${firstLine(e)}`);
  }
}

/**
 * Replaces each run of the `z` letter (outside quotes) with the zone's name at `date`, quoted,
 * because js-joda prints the zone id where Java prints "CET" or "Central European Standard Time".
 */
function withZoneNames(pattern: string, date: ZonedDateTime): string {
  if (!pattern.includes('z')) return pattern;
  let out = '';
  let inQuote = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "'") {
      inQuote = !inQuote;
      out += c;
      continue;
    }
    if (inQuote || c !== 'z') {
      out += c;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === 'z') n++;
    if (n > 4) throw new DateError(`Invalid date format '${pattern}': Too many pattern letters: z`);
    i += n - 1;
    const name = zoneName(date.zone(), date.toInstant().toEpochMilli(), date.offset().totalSeconds(), n === 4 ? 'long' : 'short');
    out += `'${name.replaceAll("'", "''")}'`;
  }
  return out;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

export function zoneOf(id: string): ZoneId {
  try {
    return joda().core.ZoneId.of(id);
  } catch (e) {
    throw new DateError(`Unknown time zone '${id}': ${firstLine(e)}`);
  }
}

/** Converts a template value to a zoned date-time (`AbstractDate.convert`). */
export function toZonedDateTime(value: unknown, zone: ZoneId, existingFormat: string | undefined): ZonedDateTime {
  const { Instant, LocalDate, LocalDateTime, LocalTime, ZonedDateTime } = joda().core;
  if (value instanceof ZonedDateTime) return value;
  if (value instanceof Date) return ZonedDateTime.ofInstant(Instant.ofEpochMilli(value.getTime()), zone);
  if (value instanceof Instant) return ZonedDateTime.ofInstant(value, zone);
  if (value instanceof LocalDateTime) return ZonedDateTime.of(value, zone);
  if (value instanceof LocalDate) return ZonedDateTime.of(value, LocalTime.NOON, zone);
  const n = asNumber(value);
  if (n && !n.double) return ZonedDateTime.ofInstant(Instant.ofEpochSecond(n.value), zone);
  if (typeof value !== 'string') throw new DateError(`Cannot read a date from a ${typeName(value)} value`);

  if (existingFormat === 'rfc_1123_date_time') return parseRfc1123(value);
  const f = existingFormat === undefined ? undefined : formatter(existingFormat);
  const attempts: (() => ZonedDateTime)[] = [
    () => (f ? ZonedDateTime.parse(value, f) : ZonedDateTime.parse(value)),
    () => (f ? LocalDateTime.parse(value, f) : LocalDateTime.parse(value)).atZone(zone),
    () => (f ? LocalDate.parse(value, f) : LocalDate.parse(value)).atStartOfDay().atZone(zone),
  ];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch (e) {
      lastError = e;
    }
  }
  throw new DateError(
    `Cannot parse '${value}' as a date${existingFormat ? ` with format '${existingFormat}'` : ''}: ${firstLine(lastError)}`,
  );
}

/** Java's `formatter.withZone(zone).format(date)`: the instant is shown in `zone`. */
export function formatDate(date: ZonedDateTime, format: string, zone: ZoneId): string {
  const inZone = date.withZoneSameInstant(zone);
  if (format === 'rfc_1123_date_time') return formatRfc1123(inZone);
  try {
    const named = builtInFormatters();
    const f = hasOwnKey(named, format) ? named[format] : ofPattern(withZoneNames(patternOf(format), inZone), format);
    return f.format(inZone);
  } catch (e) {
    if (e instanceof DateError) throw e;
    throw new DateError(`Cannot format a date with '${format}': ${firstLine(e)}`);
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const RFC_1123 = /^(?:([a-z]{3}), )?(\d{1,2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (gmt|[+-]\d{4})$/i;

/**
 * Java's `DateTimeFormatter.RFC_1123_DATE_TIME` parser (case-insensitive, optional day of
 * week that must match the date, one- or two-digit day, optional seconds, `GMT` or `+HHMM`).
 * js-joda has no such parser, and existingFormat='rfc_1123_date_time' reads HTTP dates.
 */
function parseRfc1123(text: string): ZonedDateTime {
  const m = RFC_1123.exec(text);
  const month = m ? MONTHS.indexOf(m[3].toLowerCase()) : -1;
  if (!m || month < 0) throw new DateError(`Cannot parse '${text}' as a date with format 'rfc_1123_date_time'`);
  const { ZoneOffset, ZonedDateTime } = joda().core;
  const offset = m[8].toLowerCase() === 'gmt' ? ZoneOffset.UTC : ZoneOffset.of(`${m[8].slice(0, 3)}:${m[8].slice(3)}`);
  let date: ZonedDateTime;
  try {
    date = ZonedDateTime.of(Number(m[4]), month + 1, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7] ?? 0), 0, offset);
  } catch (e) {
    throw new DateError(`Cannot parse '${text}' as a date with format 'rfc_1123_date_time': ${firstLine(e)}`);
  }
  if (m[1] !== undefined && DAYS.indexOf(m[1].toLowerCase()) !== date.dayOfWeek().ordinal()) {
    throw new DateError(`Cannot parse '${text}' as a date with format 'rfc_1123_date_time': the day of week does not match the date`);
  }
  return date;
}

function formatRfc1123(date: ZonedDateTime): string {
  const { core, Locale } = joda();
  const { DateTimeFormatter, ZoneOffset } = core;
  const base = DateTimeFormatter.ofPattern('EEE, d MMM yyyy HH:mm:ss').withLocale(Locale.US).format(date);
  const offset = date.offset();
  if (offset.equals(ZoneOffset.UTC)) return `${base} GMT`;
  return `${base} ${DateTimeFormatter.ofPattern('xx').format(date)}`;
}

export function plus(date: ZonedDateTime, amount: number, unit: string): ZonedDateTime {
  const { ChronoUnit } = joda().core;
  const units: Record<string, ChronoUnit> = {
    NANOS: ChronoUnit.NANOS, MICROS: ChronoUnit.MICROS, MILLIS: ChronoUnit.MILLIS, SECONDS: ChronoUnit.SECONDS,
    MINUTES: ChronoUnit.MINUTES, HOURS: ChronoUnit.HOURS, HALF_DAYS: ChronoUnit.HALF_DAYS, DAYS: ChronoUnit.DAYS,
    WEEKS: ChronoUnit.WEEKS, MONTHS: ChronoUnit.MONTHS, YEARS: ChronoUnit.YEARS, DECADES: ChronoUnit.DECADES,
    CENTURIES: ChronoUnit.CENTURIES, MILLENNIA: ChronoUnit.MILLENNIA,
  };
  if (!hasOwnKey(units, unit)) {
    throw new DateError(`Unknown unit '${unit}': use one of ${Object.keys(units).join(', ')}`);
  }
  return date.plus(amount, units[unit]);
}

export function nowIn(now: Date, zone: ZoneId): ZonedDateTime {
  const { Instant, ZonedDateTime } = joda().core;
  return ZonedDateTime.ofInstant(Instant.ofEpochMilli(now.getTime()), zone);
}
