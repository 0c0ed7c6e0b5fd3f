import { describe, expect, it } from 'vitest';
import type { InputSpec } from '@/lib/contract';
import { draftsFromValues, initialDraft, valuesToStore } from './inputs';
import { failsOnPgdatabase } from './postgres';

const spec = (over: Partial<InputSpec>): InputSpec => ({ id: 'x', type: 'STRING', required: false, raw: {}, ...over });
const taxi = spec({ id: 'taxi', type: 'SELECT', values: ['yellow', 'green'], defaults: 'yellow' });
const year = spec({ id: 'year', type: 'INT', defaults: 2019 });
const flag = spec({ id: 'flag', type: 'BOOLEAN', defaults: false });
const when = spec({ id: 'when', type: 'DATETIME' });

describe('the inputs form kept for a notebook', () => {
  it('keeps only values edited away from the default, and a half-typed value keeps what was kept before', () => {
    const specs = [taxi, year, flag];
    expect(valuesToStore(specs, { taxi: 'yellow', year: '2020', flag: true }, {})).toEqual({ year: 2020, flag: true });
    expect(valuesToStore(specs, { year: '20x' }, { year: 2020 })).toEqual({ year: 2020 });
    expect(valuesToStore(specs, { year: '20x' }, {})).toEqual({});
    // Cleared: the default again, so nothing is kept.
    expect(valuesToStore(specs, { year: '' }, { year: 2020 })).toEqual({});
  });

  it('turns kept values back into what each widget shows', () => {
    expect(draftsFromValues([taxi, year, flag], { taxi: 'green', year: 2020, flag: true, gone: 1 })).toEqual({ taxi: 'green', year: '2020', flag: true });
    // A DATETIME is kept as an instant and shown in the browser's zone, without a zone suffix.
    const shown = draftsFromValues([when], { when: new Date(2019, 1, 1, 9, 30).toISOString() });
    expect(shown.when).toBe('2019-02-01T09:30:00');
    expect(initialDraft(year)).toBe('2019');
  });
});

describe('the pgdatabase banner', () => {
  it('shows for a connection to pgdatabase that failed, not for other errors', () => {
    expect(failsOnPgdatabase('could not connect to PostgreSQL at pgdatabase:5432/ny_taxi as root: getaddrinfo ENOTFOUND pgdatabase')).toBe(true);
    expect(failsOnPgdatabase('could not connect to PostgreSQL at db.example:5432/x as root: ECONNREFUSED')).toBe(false);
    expect(failsOnPgdatabase('ERROR: relation "public.green_tripdata" does not exist')).toBe(false);
    expect(failsOnPgdatabase(undefined)).toBe(false);
  });
});
