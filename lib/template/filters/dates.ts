/** Kestra's date filters: date, dateAdd, timestamp(Milli/Micro/Nano). Zone defaults to the host's. */
import { argString, failAt, type ArgMap, type CallSite, type FilterDefinition } from '../context';
import { DateError, formatDate, plus, toZonedDateTime, zoneOf } from '../dates';
import { asNumber, typeName } from '../values';

const DATE_ARGS = ['format', 'timeZone', 'existingFormat', 'locale'] as const;

function withDateErrors<T>(site: CallSite, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof DateError) throw failAt(site, e.message, e);
    throw e;
  }
}

/** `AbstractDate.format`: convert the input, then print it in `timeZone` (default: host zone). */
export function formatWithArgs(input: unknown, args: ArgMap, site: CallSite): string {
  const zone = zoneOf(argString(args, 'timeZone', site) ?? site.ctx.host.timeZone);
  const date = toZonedDateTime(input, zone, argString(args, 'existingFormat', site));
  return formatDate(date, argString(args, 'format', site) ?? 'iso', zone);
}

/**
 * Kestra's epoch filters. `timestamp` and `timestampMilli` return a long. `timestampNano` and
 * `timestampMicro` return the digits as a string (`String.valueOf`), the values exceeding
 * what a double holds exactly; `timestampMicro` is seconds-in-nanoseconds plus the
 * microseconds of the second (`TimeUnit.SECONDS.toNanos(s) + NANOSECONDS.toMicros(nano)`),
 * which is what Kestra computes and its own test pins (DateFilterTest.instantMicro).
 */
function epoch(scale: 'seconds' | 'millis' | 'micros' | 'nanos'): FilterDefinition {
  return {
    args: ['timeZone', 'existingFormat'],
    apply: (input, args, site) => withDateErrors(site, () => {
      if (input === null || input === undefined) return null;
      const zone = zoneOf(argString(args, 'timeZone', site) ?? site.ctx.host.timeZone);
      const date = toZonedDateTime(input, zone, argString(args, 'existingFormat', site));
      const seconds = date.toEpochSecond();
      const nano = date.nano();
      switch (scale) {
        case 'seconds': return seconds;
        case 'millis': return date.toInstant().toEpochMilli();
        case 'micros': return String(BigInt(seconds) * 1_000_000_000n + BigInt(Math.trunc(nano / 1000)));
        case 'nanos': return String(BigInt(seconds) * 1_000_000_000n + BigInt(nano));
      }
    }),
  };
}

export const DATE_FILTERS: Record<string, FilterDefinition> = {
  date: {
    args: DATE_ARGS,
    apply: (input, args, site) => withDateErrors(site, () => (input === null || input === undefined ? null : formatWithArgs(input, args, site))),
  },
  dateAdd: {
    args: ['amount', 'unit', ...DATE_ARGS],
    apply: (input, args, site) => withDateErrors(site, () => {
      if (input === null || input === undefined) return null;
      const amount = asNumber(args.get('amount'));
      if (!amount || amount.double) throw failAt(site, `'dateAdd' expects an integer 'amount', got ${typeName(args.get('amount'))}`);
      const unit = argString(args, 'unit', site);
      if (unit === undefined) throw failAt(site, "'dateAdd' expects a 'unit' such as 'DAYS' or 'HOURS'");
      const zone = zoneOf(argString(args, 'timeZone', site) ?? site.ctx.host.timeZone);
      const date = toZonedDateTime(input, zone, argString(args, 'existingFormat', site));
      return formatWithArgs(plus(date, amount.value, unit), args, site);
    }),
  },
  timestamp: epoch('seconds'),
  timestampMilli: epoch('millis'),
  timestampMicro: epoch('micros'),
  timestampNano: epoch('nanos'),
};
