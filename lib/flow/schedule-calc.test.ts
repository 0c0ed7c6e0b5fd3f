import { describe, expect, it } from 'vitest';
import { missedSlots, nextFire, scheduleSpecs, slotsBetween, ScheduleError } from './schedule-calc';

const [green] = scheduleSpecs([
  { id: 'green_schedule', type: 'io.kestra.plugin.core.trigger.Schedule', cron: '0 9 1 * *', inputs: { taxi: 'green' } },
  { id: 'webhook', type: 'io.kestra.plugin.core.trigger.Webhook' },
]);

describe('schedule calculation', () => {
  it('reads only Schedule triggers, with their inputs', () => {
    expect(green).toMatchObject({ id: 'green_schedule', cron: '0 9 1 * *', timezone: 'UTC', inputs: { taxi: 'green' }, recoverMissedSchedules: 'ALL' });
  });

  it('replays every monthly slot of 2019 in a backfill, as the course does', () => {
    const slots = slotsBetween(green, new Date('2019-01-01T00:00:00Z'), new Date('2019-12-31T23:59:59Z'));
    expect(slots.map((d) => d.toISOString().slice(0, 16))).toEqual(
      Array.from({ length: 12 }, (_, i) => `2019-${String(i + 1).padStart(2, '0')}-01T09:00`),
    );
  });

  it('counts a slot exactly at the window start', () => {
    expect(slotsBetween(green, new Date('2019-03-01T09:00:00Z'), new Date('2019-03-02T00:00:00Z'))).toEqual([new Date('2019-03-01T09:00:00Z')]);
  });

  it('evaluates cron in the trigger timezone across a DST change', () => {
    const [paris] = scheduleSpecs([{ id: 'p', type: 'io.kestra.plugin.core.trigger.Schedule', cron: '30 2 * * *', timezone: 'Europe/Paris' }]);
    // 2021-03-28 02:30 does not exist in Paris (clocks jump 02:00 → 03:00).
    const slots = slotsBetween(paris, new Date('2021-03-27T00:00:00Z'), new Date('2021-03-29T23:59:59Z'));
    expect(slots[0].toISOString()).toBe('2021-03-27T01:30:00.000Z');
    expect(slots.at(-1)!.toISOString()).toBe('2021-03-29T00:30:00.000Z');
    expect(slots.length).toBeGreaterThanOrEqual(2);
  });

  it('gives the next slot after a date', () => {
    expect(nextFire(green, new Date('2019-01-01T09:00:00Z'))).toEqual(new Date('2019-02-01T09:00:00Z'));
  });

  it('recovers missed slots per recoverMissedSchedules', () => {
    const last = new Date('2019-01-15T00:00:00Z');
    const now = new Date('2019-04-15T00:00:00Z');
    expect(missedSlots(green, last, now).length).toBe(3);
    expect(missedSlots({ ...green, recoverMissedSchedules: 'LAST' }, last, now)).toEqual([new Date('2019-04-01T09:00:00Z')]);
    expect(missedSlots({ ...green, recoverMissedSchedules: 'NONE' }, last, now)).toEqual([]);
  });

  it('finds nothing missed when ticks come faster than a second', () => {
    const t = new Date('2019-01-01T09:00:00.500Z');
    expect(missedSlots(green, t, new Date(t.getTime() + 300))).toEqual([]);
  });

  it('finds a slot in a window shorter than a second (two schedulers split time finely)', () => {
    const [minutely] = scheduleSpecs([{ id: 'm', type: 'io.kestra.plugin.core.trigger.Schedule', cron: '* * * * *' }]);
    expect(missedSlots(minutely, new Date('2019-01-01T09:59:59.500Z'), new Date('2019-01-01T10:00:00.200Z'))).toEqual([new Date('2019-01-01T10:00:00Z')]);
    expect(missedSlots(minutely, new Date('2019-01-01T10:00:00.000Z'), new Date('2019-01-01T10:00:00.900Z'))).toEqual([]);
  });

  it('rejects a window that ends before it starts', () => {
    expect(() => slotsBetween(green, new Date('2019-02-01Z'), new Date('2019-01-01Z'))).toThrow(ScheduleError);
  });

  // Found by the cron fuzz (test/faults/cron.fuzz.test.ts).
  it('fires a cron the validator accepts with spaces around it, as the validator reads it', () => {
    const [daily] = scheduleSpecs([{ id: 'd', type: 'io.kestra.plugin.core.trigger.Schedule', cron: ' @daily ' }]);
    expect(nextFire(daily, new Date('2024-01-01T10:00:00Z'))).toEqual(new Date('2024-01-02T00:00:00Z'));
    expect(nextFire({ ...green, cron: ' 0 9 1 * * ' }, new Date('2019-01-01T10:00:00Z'))).toEqual(new Date('2019-02-01T09:00:00Z'));
  });

  it('refuses an unknown time zone with its own error, not a TypeError from the cron library', () => {
    expect(() => nextFire({ ...green, timezone: ' ' }, new Date('2019-01-01Z'))).toThrow(ScheduleError);
    expect(() => nextFire({ ...green, timezone: 'Mars/Olympus' }, new Date('2019-01-01Z'))).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
