/**
 * Fuzz: cron expressions as a Schedule trigger carries them. The validator answers every one
 * with a problem or none and never throws; for every one it accepts (with a time zone it
 * accepts), the slot arithmetic the scheduler runs each second answers without throwing; for
 * the others it throws only its own ScheduleError (what the schedules page and the backfill
 * dialog show).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronProblem, isValidTimeZone } from '../../lib/flow';
import { missedSlots, nextFire, previousFire, ScheduleError, slotsBetween, type ScheduleSpec } from '../../lib/flow/schedule-calc';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, rethrowUnless } from './fuzz';

const atom = fc.oneof(
  fc.constantFrom('*', '?', 'L', 'W', 'LW', 'JAN', 'dec', 'MON', 'sun', '7', '0', '59', '60', '31', '32', '-1', ''),
  fc.integer({ min: 0, max: 99 }).map(String),
);
const part = fc.oneof(
  { weight: 3, arbitrary: atom },
  { weight: 1, arbitrary: fc.tuple(atom, atom).map(([a, b]) => `${a}-${b}`) },
  { weight: 1, arbitrary: fc.tuple(atom, fc.integer({ min: -1, max: 70 })).map(([a, n]) => `${a}/${n}`) },
  { weight: 1, arbitrary: fc.tuple(atom, fc.integer({ min: 0, max: 9 })).map(([a, n]) => `${a}#${n}`) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => `${n}L`) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => `${n}W`) },
);
const field = fc.array(part, { minLength: 1, maxLength: 3 }).map((ps) => ps.join(','));
/** A field with in-range values, so many expressions are valid and reach the arithmetic. */
const plausibleField = (min: number, max: number, extras: string[]) => {
  const n = fc.integer({ min, max });
  const piece = fc.oneof(
    { weight: 4, arbitrary: n.map(String) },
    { weight: 2, arbitrary: fc.constant('*') },
    { weight: 2, arbitrary: fc.tuple(n, n).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('*', String(min)), fc.integer({ min: 1, max: max - min + 1 })).map(([a, k]) => `${a}/${k}`) },
    { weight: 1, arbitrary: fc.constantFrom(...extras, '*') },
  );
  return fc.array(piece, { minLength: 1, maxLength: 3 }).map((ps) => ps.join(','));
};
const plausible5 = fc
  .tuple(plausibleField(0, 59, []), plausibleField(0, 23, []), plausibleField(1, 31, ['L', '15W', 'LW', '?']), plausibleField(1, 12, ['JAN', 'FEB-MAR']), plausibleField(0, 7, ['MON', 'MON-FRI', '5L', '1#2', '?']))
  .map((fs) => fs.join(' '));
const cron = fc.oneof(
  { weight: 8, arbitrary: plausible5 },
  { weight: 3, arbitrary: fc.tuple(plausibleField(0, 59, []), plausible5).map(([sec, rest]) => `${sec} ${rest}`) },
  { weight: 6, arbitrary: fc.array(field, { minLength: 5, maxLength: 5 }).map((fs) => fs.join(' ')) },
  { weight: 3, arbitrary: fc.array(field, { minLength: 6, maxLength: 6 }).map((fs) => fs.join(' ')) },
  { weight: 1, arbitrary: fc.array(field, { minLength: 0, maxLength: 8 }).map((fs) => fs.join(fc.sample(fc.constantFrom(' ', '  ', '\t'), 1)[0])) },
  { weight: 1, arbitrary: fc.constantFrom('@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@HOURLY', '@every', '@reboot', '@', ' @daily ') },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);
const timezone = fc.oneof(
  fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Apia', 'America/Santiago', 'Etc/GMT+12', 'Etc/GMT-14'),
  fc.constantFrom('Mars/Olympus', '', '+05:00', 'utc', 'EST5EDT', 'Europe/Paris '),
  fc.string({ maxLength: 12 }),
);
const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true });
const recover = fc.constantFrom<ScheduleSpec['recoverMissedSchedules']>('ALL', 'LAST', 'NONE');

describe('cron under fuzz', () => {
  it(`validates ${FUZZ_RUNS} generated cron expressions, and the slot arithmetic of every valid one never throws`, { timeout: FUZZ_TIMEOUT_MS }, () => {
    let accepted = 0;
    fc.assert(
      fc.property(cron, fc.boolean(), timezone, instant, fc.integer({ min: 0, max: 3 * 86_400_000 }), recover, (expression, withSeconds, tz, at, span, recoverMissedSchedules) => {
        const problem = cronProblem(expression, withSeconds);
        expect(problem === undefined || typeof problem === 'string').toBe(true);
        const spec: ScheduleSpec = { id: 't', cron: expression, timezone: tz, withSeconds, disabled: false, inputs: {}, recoverMissedSchedules };
        const later = new Date(at.getTime() + span);
        const valid = problem === undefined && isValidTimeZone(tz);
        if (valid) accepted++;
        try {
          nextFire(spec, at);
          previousFire(spec, at);
          // The scheduler's window is a tick (a second) or a downtime; a backfill's is capped.
          missedSlots(spec, at, new Date(at.getTime() + (span % 120_000)));
          slotsBetween(spec, at, later, 50);
        } catch (err) {
          // The one refusal a valid trigger may meet: a window with more slots than a backfill takes.
          rethrowUnless(err, (e) => e instanceof ScheduleError && (!valid || /more than \d+ slots/.test(e.message)));
        }
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    // The generator must reach the arithmetic with valid triggers (about 5% of the cases are), or the property says little.
    expect(accepted).toBeGreaterThan(FUZZ_RUNS / 40);
  });
});
